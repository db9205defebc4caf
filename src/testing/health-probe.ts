import { setTimeout as sleep } from 'node:timers/promises';

/** What a probe saw: the slowest `/health` answer and how many it asked for. */
export interface HealthProbeReport {
  maxHealthMs: number;
  healthChecks: number;
}

/**
 * Asks for `/health` over and over, one request at a time with 20 ms between, until `stopped`
 * says so; throws at the first answer other than 200. Used in the app's own process and, for a
 * server process, from a thread of its own (`health-probe-thread.ts`).
 */
export async function probeHealthUntil(askHealth: () => Promise<number>, stopped: () => boolean): Promise<HealthProbeReport> {
  const report: HealthProbeReport = { maxHealthMs: 0, healthChecks: 0 };
  while (!stopped()) {
    const started = performance.now();
    const status = await askHealth();
    if (status !== 200) throw new Error(`/health answered ${status}`);
    report.maxHealthMs = Math.max(report.maxHealthMs, performance.now() - started);
    report.healthChecks++;
    await sleep(20);
  }
  return report;
}
