import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { FastifyInstance } from 'fastify';

/**
 * How long `/health` may take while a hostile request runs: generous, since the test machine
 * is shared and loaded, but far below the seconds the unbounded code paths took.
 */
export const HEALTH_BOUND_MS = 500;

export interface Responsiveness<T> {
  result: T;
  /** The slowest `/health` answer while the work ran. */
  maxHealthMs: number;
  healthChecks: number;
  /** The longest the event loop was blocked while the work ran. */
  maxEventLoopDelayMs: number;
}

/**
 * Runs the work while asking `/health` over and over (one request at a time, in the same
 * process, so it queues behind whatever holds the event loop or the database), and measures
 * the event loop's delay meanwhile.
 */
export async function measureResponsiveness<T>(app: FastifyInstance, work: () => Promise<T>): Promise<Responsiveness<T>> {
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  let done = false;
  let maxHealthMs = 0;
  let healthChecks = 0;
  const probe = (async () => {
    while (!done) {
      const started = performance.now();
      const response = await app.inject({ method: 'GET', url: '/health' });
      if (response.statusCode !== 200) throw new Error(`/health answered ${response.statusCode}`);
      maxHealthMs = Math.max(maxHealthMs, performance.now() - started);
      healthChecks++;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  })();
  try {
    const result = await work();
    return { result, maxHealthMs, healthChecks, maxEventLoopDelayMs: delay.max / 1e6 };
  } finally {
    done = true;
    delay.disable();
    await probe;
  }
}
