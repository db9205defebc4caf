import http from 'node:http';
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import type { BenchBackend } from './backends.js';
import { CONNECTIONS, DURATION_SECONDS, type Measurement } from './settings.js';
import type { Row } from './report.js';

export type RouteLoad = Omit<autocannon.Options, 'url' | 'connections' | 'duration'> & { path: string };

/** autocannon against a route of a running server, for the run's duration. */
export async function loadRoute(baseUrl: string, load: RouteLoad, connections = CONNECTIONS): Promise<Measurement> {
  const { path, ...options } = load;
  const result = await autocannon({
    ...options,
    url: `${baseUrl}${path}`,
    connections,
    duration: DURATION_SECONDS,
  });
  const statuses = Object.entries(result.statusCodeStats ?? {}).filter(([code]) => !code.startsWith('2'));
  if (statuses.length > 0 || result.errors > 0) {
    const detail = statuses.map(([code, stat]) => `${code}×${(stat as { count: number }).count}`).join(', ');
    console.log(`  ${path}: non-2xx ${detail || 'none'}; connection errors ${result.errors}, timeouts ${result.timeouts}`);
  }
  return {
    rps: result.requests.average,
    p99Ms: result.latency.p99,
    errors: result.errors + result.timeouts + result.non2xx,
  };
}

/** One GET on `agent`, its body counted and dropped: true for a 2xx answer (of `expectedBytes`, when given). */
function getOnce(url: URL, agent: http.Agent, headers: Record<string, string> | undefined, expectedBytes?: number): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    const request = http.get(url, { agent, headers }, (response) => {
      let bytes = 0;
      response.on('data', (chunk: Buffer) => (bytes += chunk.length));
      response.on('end', () => {
        const ok = response.statusCode! >= 200 && response.statusCode! < 300;
        resolve(ok && (expectedBytes === undefined || bytes === expectedBytes));
      });
      response.on('error', () => resolve(false));
    });
    request.on('error', () => resolve(false));
  });
}

/**
 * GETs from `connections` keep-alive connections, back to back for the run's duration, each
 * body counted and dropped as it arrives. autocannon appends every body to a string, so for
 * 1 MB bodies it measured itself (and binary bodies decode slower than ASCII); downloads and
 * their bare Fastify ceiling are both measured with this. A response that is not 2xx, or whose
 * length differs from `expectedBytes`, counts as an error.
 */
export async function loadDownload(
  baseUrl: string,
  load: { path: string; headers?: Record<string, string>; expectedBytes?: number },
  connections = CONNECTIONS,
): Promise<Measurement> {
  const url = new URL(load.path, baseUrl);
  const latencies: number[] = [];
  let errors = 0;
  const end = performance.now() + DURATION_SECONDS * 1000;
  const worker = async () => {
    // One socket per worker: exactly `connections` connections, as autocannon opens.
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      while (performance.now() < end) {
        const start = performance.now();
        if (!(await getOnce(url, agent, load.headers, load.expectedBytes))) errors++;
        latencies.push(performance.now() - start);
      }
    } finally {
      agent.destroy();
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: connections }, worker));
  const seconds = (performance.now() - started) / 1000;
  if (errors > 0) console.log(`  ${load.path}: ${errors} failed or short responses`);
  const sorted = Float64Array.from(latencies).sort();
  return { rps: (latencies.length - errors) / seconds, p99Ms: percentile(sorted, 99), errors };
}

/**
 * GETs sent at a fixed rate, whatever the answers' pace (an open loop: other people using the
 * app), over up to `connections` keep-alive connections, for the run's duration. Latency runs
 * from each request's scheduled send time to the end of its answer, so a request held back by
 * busy connections counts its wait. (autocannon's overallRate reported p99 17–34 ms against
 * an idle server that answered within 2–5 ms.)
 */
export async function loadAtRate(
  baseUrl: string,
  load: { path: string; headers?: Record<string, string> },
  perSecond: number,
  connections = 10,
): Promise<Measurement> {
  const url = new URL(load.path, baseUrl);
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const latencies: number[] = [];
  let errors = 0;
  const send = async (scheduled: number) => {
    if (await getOnce(url, agent, load.headers)) latencies.push(performance.now() - scheduled);
    else errors++;
  };
  const started = performance.now();
  const count = Math.round(perSecond * DURATION_SECONDS);
  const answers: Promise<void>[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const scheduled = started + (i * 1000) / perSecond;
      const wait = scheduled - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      answers.push(send(scheduled));
    }
    await Promise.all(answers);
  } finally {
    agent.destroy();
  }
  const seconds = (performance.now() - started) / 1000;
  const sorted = Float64Array.from(latencies).sort();
  return { rps: latencies.length / seconds, p99Ms: percentile(sorted, 99), errors };
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/**
 * Calls `operation` from CONNECTIONS concurrent workers for the run's duration: the ceiling a
 * route doing the same database work could reach. (better-sqlite3 is synchronous, so on SQLite
 * the workers take turns, exactly as the server's requests do.)
 */
export async function loadDriver(
  operation: (worker: number) => Promise<unknown> | unknown,
  connections = CONNECTIONS,
): Promise<Measurement> {
  const latencies: number[] = [];
  let errors = 0;
  const end = performance.now() + DURATION_SECONDS * 1000;
  const worker = async (index: number) => {
    while (performance.now() < end) {
      const start = performance.now();
      try {
        await operation(index);
      } catch {
        errors++;
      }
      latencies.push(performance.now() - start);
      // Yield so other workers (and timers) run even when the operation is synchronous.
      if (latencies.length % 64 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: connections }, (_, i) => worker(i)));
  const seconds = (performance.now() - started) / 1000;
  const sorted = Float64Array.from(latencies).sort();
  return { rps: latencies.length / seconds, p99Ms: percentile(sorted, 99), errors };
}

/**
 * A write's driver ceiling: with the server's `synchronous=FULL`, and on SQLite also with
 * `NORMAL` (a commit survives a process crash but not a power loss), so the table shows what
 * the durability Mosaic keeps by default costs.
 */
export async function writeCeilings(
  b: BenchBackend,
  operation: (worker: number) => Promise<unknown> | unknown,
  connections = CONNECTIONS,
): Promise<{ ceiling: Measurement; ceilingNormal?: Measurement }> {
  const ceiling = await loadDriver(operation, connections);
  if (b.driver.backend !== 'sqlite') return { ceiling };
  b.driver.sqlite.pragma('synchronous = NORMAL');
  try {
    return { ceiling, ceilingNormal: await loadDriver(operation, connections) };
  } finally {
    b.driver.sqlite.pragma('synchronous = FULL');
  }
}

// Hop-by-hop and per-response headers: Fastify sets its own.
const NOT_REPLAYED = new Set(['date', 'content-length', 'connection', 'keep-alive', 'transfer-encoding']);

/**
 * The HTTP floor of a read route: its answer fetched once, then sent by the bare server as is
 * at the same concurrency. What the route costs beyond this is its own work (session, query,
 * serialization), not the bytes it sends.
 */
export async function measureReplay(bareUrl: string, serverUrl: string, row: Row): Promise<Measurement | undefined> {
  if (!row.request) return undefined;
  const response = await fetch(`${serverUrl}${row.request.path}`, { headers: row.request.headers ?? {} });
  const body = Buffer.from(await response.arrayBuffer());
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    if (!NOT_REPLAYED.has(name)) headers[name] = value;
  });
  const registered = await fetch(`${bareUrl}/__replay`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ status: response.status, headers, body: body.toString('base64') }),
  });
  const { id } = (await registered.json()) as { id: number };
  return loadRoute(bareUrl, { path: `/replay/${id}` }, row.connections);
}
