import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import type { FastifyInstance } from 'fastify';

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
  let maxHealthMs = 0;
  let healthChecks = 0;
  const probe = (async () => {
    while (!done) {
      const started = performance.now();
      const status = await askHealth();
      if (status !== 200) throw new Error(`/health answered ${status}`);
      maxHealthMs = Math.max(maxHealthMs, performance.now() - started);
      healthChecks++;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  })();
  try {
    return { result: await work(), maxHealthMs, healthChecks };
  } finally {
    done = true;
    await probe;
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

// The same probe loop, on a thread of its own (plain JavaScript, evaluated as CommonJS).
const HEALTH_PROBE_THREAD = `
const { parentPort, workerData } = require('node:worker_threads');
let stopping = false;
let maxHealthMs = 0;
let healthChecks = 0;
parentPort.once('message', () => (stopping = true));
(async () => {
  while (!stopping) {
    const started = performance.now();
    const response = await fetch(workerData.url);
    await response.arrayBuffer();
    if (response.status !== 200) throw new Error('/health answered ' + response.status);
    maxHealthMs = Math.max(maxHealthMs, performance.now() - started);
    healthChecks++;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  parentPort.postMessage({ maxHealthMs, healthChecks });
})().catch((error) => parentPort.postMessage({ error: String(error) }));
`;

/**
 * `/health` of a server process, asked over HTTP while the work runs, from a thread of its
 * own: the work may keep this thread busy (the upload flood sends 1 GB from it), and a probe
 * waiting behind that would time the client, not the server.
 */
export async function measureHealthOver<T>(baseUrl: string, work: () => Promise<T>): Promise<HealthDuring<T>> {
  const probe = new Worker(HEALTH_PROBE_THREAD, { eval: true, workerData: { url: `${baseUrl}/health` } });
  const report = new Promise<{ maxHealthMs: number; healthChecks: number; error?: string }>((resolve, reject) => {
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
