import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import type { FastifyInstance } from 'fastify';
import { probeHealthUntil, type HealthProbeReport } from './health-probe.js';

/**
 * How long `/health` may take while a hostile request runs: generous, since the test machine
 * is shared and loaded, but far below the seconds the unbounded code paths took.
 */
export const HEALTH_BOUND_MS = 500;

export interface HealthDuring<T> {
  result: T;
  /** The slowest `/health` answer while the work ran. */
  maxHealthMs: number;
  healthChecks: number;
}

/** Runs the work while asking for `/health` over and over, one request at a time. */
async function askHealthWhile<T>(askHealth: () => Promise<number>, work: () => Promise<T>): Promise<HealthDuring<T>> {
  let done = false;
  const probe = probeHealthUntil(askHealth, () => done);
  try {
    const result = await work();
    done = true;
    return { result, ...(await probe) };
  } finally {
    done = true;
    await probe.catch(() => undefined);
  }
}

/**
 * `/health` asked in the same process as the app (so it queues behind whatever holds the event
 * loop or the database), and the longest the event loop was blocked, while the work runs.
 */
export async function measureResponsiveness<T>(
  app: FastifyInstance,
  work: () => Promise<T>,
): Promise<HealthDuring<T> & { maxEventLoopDelayMs: number }> {
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  try {
    const run = await askHealthWhile(async () => (await app.inject({ method: 'GET', url: '/health' })).statusCode, work);
    return { ...run, maxEventLoopDelayMs: delay.max / 1e6 };
  } finally {
    delay.disable();
  }
}

// The probe thread's module, loaded through tsx's API: the tests run from TypeScript source,
// and Node 20 refuses a .ts worker entry ("Unknown file extension"), even one imported from an
// evaluated line with `--import tsx` in the worker's flags (tried: tsx's loader is not applied).
const PROBE_THREAD = `import('tsx/esm/api').then(({ tsImport }) =>
  tsImport(${JSON.stringify(new URL('./health-probe-thread.ts', import.meta.url).href)}, ${JSON.stringify(import.meta.url)}))`;

/**
 * `/health` of a server process, asked over HTTP while the work runs, from a thread of its
 * own: the work may keep this thread busy (the upload flood sends 1 GB from it), and a probe
 * waiting behind that would time the client, not the server.
 */
export async function measureHealthOver<T>(baseUrl: string, work: () => Promise<T>): Promise<HealthDuring<T>> {
  const probe = new Worker(PROBE_THREAD, { eval: true, workerData: { url: `${baseUrl}/health` } });
  const report = new Promise<HealthProbeReport & { error?: string }>((resolve, reject) => {
    probe.once('message', resolve);
    probe.once('error', reject);
  });
  try {
    const result = await work();
    probe.postMessage('stop');
    const { maxHealthMs, healthChecks, error } = await report;
    if (error) throw new Error(error);
    return { result, maxHealthMs, healthChecks };
  } finally {
    await probe.terminate();
  }
}
