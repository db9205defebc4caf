import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import type { Backend } from '../../src/db/connection.js';
import { createTestDatabase } from '../../src/testing/databases.js';
import { HttpClient, startServerProcess, type ServerProcess } from '../../src/testing/server-process.js';
import { format } from '../report.js';

// The overloaded route: job-match refresh, the most CPU-heavy request a person can send (BM25
// over the catalogue against a full workbook), so the event loop is what saturates.
const PATH = '/api/jobs/matches/refresh';
const OVERLOAD_FACTORS = (process.env.BENCH_OVERLOAD_FACTORS ?? '2,3').split(',').map(Number);
const OVERLOAD_SECONDS = Number(process.env.BENCH_OVERLOAD_SECONDS ?? 10);
// Below the production cap of 100 open connections per client address (MAX_CONNECTIONS_PER_ADDRESS),
// with room for the bench's own /health polls: one more and the server answers the extra
// connection's accept with a 429 before any request, which autocannon cannot parse.
const CONNECTIONS = Number(process.env.BENCH_OVERLOAD_CONNECTIONS ?? 90);

interface Phase {
  offered: number;
  admitted: number;
  shed: number;
  other: number;
  admittedP50: number;
  admittedP99: number;
  shedP99: number;
  seconds: number;
}

const percentile = (sorted: number[], p: number) =>
  sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

/** autocannon against the route, latencies split by status (admitted 2xx, shed 503). */
async function load(server: ServerProcess, cookie: string, options: { seconds: number; connections: number; rate?: number }): Promise<Phase> {
  const admitted: number[] = [];
  const shed: number[] = [];
  let other = 0;
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance: autocannon.Instance = autocannon(
      {
        url: `${server.url}${PATH}`,
        method: 'POST',
        headers: { cookie },
        connections: options.connections,
        duration: options.seconds,
        ...(options.rate ? { overallRate: options.rate } : {}),
      },
      (error, finished) => (error ? reject(error) : resolve(finished)),
    );
    instance.on('response', (_client: unknown, status: number, _bytes: number, ms: number) => {
      if (status >= 200 && status < 300) admitted.push(ms);
      else if (status === 503) shed.push(ms);
      else other++;
    });
  });
  admitted.sort((a, b) => a - b);
  shed.sort((a, b) => a - b);
  return {
    offered: options.rate ?? 0,
    admitted: admitted.length,
    shed: shed.length,
    other: other + result.errors + result.timeouts,
    admittedP50: percentile(admitted, 50),
    admittedP99: percentile(admitted, 99),
    shedP99: percentile(shed, 99),
    seconds: options.seconds,
  };
}

/** Polls until /health reports no pressure and (with a session) the route answers 2xx: the time back to normal. */
async function timeToNormal(server: ServerProcess, cookie?: string): Promise<number> {
  const started = performance.now();
  for (;;) {
    const health = (await (await fetch(`${server.url}/health`)).json()) as { pressure: { underPressure: boolean } };
    let served = true;
    if (cookie) {
      const probe = await fetch(`${server.url}${PATH}`, { method: 'POST', headers: { cookie } });
      await probe.arrayBuffer();
      served = probe.status === 200;
    }
    if (!health.pressure.underPressure && served) return performance.now() - started;
    if (performance.now() - started > 60_000) throw new Error('not back to normal within 60 s');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function personWithFullWorkbook(server: ServerProcess): Promise<string> {
  const client = new HttpClient(server.url);
  const registered = await client.request('POST', '/api/auth/register', { email: `overload-${Date.now()}@example.org`, password: 'bench password 123' });
  if (registered.status !== 201) throw new Error(`register failed: ${registered.status}`);
  const flow = (await client.request('GET', '/api/ps101/flow')).body as { steps: { prompts: { key: string }[] }[] };
  const answers: Record<string, string> = {};
  for (const step of flow.steps) {
    for (const prompt of step.prompts) {
      answers[prompt.key] = 'I enjoy teaching, analysing data with spreadsheets and SQL, writing reports; I value autonomy and community.';
    }
  }
  const saved = await client.request('PUT', '/api/ps101', { answers, revision: 0 });
  if (saved.status !== 200) throw new Error(`workbook fill failed: ${saved.status}`);
  return client.cookie;
}

function describe(name: string, phase: Phase): string {
  const total = phase.admitted + phase.shed + phase.other;
  return (
    `${name}: ${phase.offered ? `offered ${format(phase.offered)} req/s, ` : ''}` +
    `admitted ${format(phase.admitted / phase.seconds, 1)} req/s (p50 ${format(phase.admittedP50)} ms, p99 ${format(phase.admittedP99)} ms), ` +
    `shed ${format((100 * phase.shed) / Math.max(1, total), 1)} % (p99 ${format(phase.shedP99)} ms), other ${phase.other}`
  );
}

interface HealthPressure {
  underPressure: boolean;
  eventLoopDelayMs: number;
  eventLoopUtilization: number;
  inFlight?: number;
  inFlightLimit?: number | null;
}

/** Polls /health (never shed) every 500 ms until stopped; returns what the server reported. */
function watchPressure(server: ServerProcess): () => Promise<string> {
  const seen: HealthPressure[] = [];
  let running = true;
  const polling = (async () => {
    while (running) {
      try {
        seen.push(((await (await fetch(`${server.url}/health`)).json()) as { pressure: HealthPressure }).pressure);
      } catch {
        // a missed poll is no figure
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  })();
  return async () => {
    running = false;
    await polling;
    const max = (pick: (p: HealthPressure) => number) => Math.max(0, ...seen.map(pick));
    const limits = seen.map((p) => p.inFlightLimit).filter((l): l is number => typeof l === 'number');
    return (
      `${seen.length} polls: utilization up to ${format(max((p) => p.eventLoopUtilization), 2)}, ` +
      `loop delay p99 up to ${format(max((p) => p.eventLoopDelayMs))} ms, in flight up to ${format(max((p) => p.inFlight ?? 0))}, ` +
      `in-flight limit ${limits.length > 0 ? `${format(Math.min(...limits))}–${format(Math.max(...limits))}` : 'never set'}, ` +
      `under pressure in ${seen.filter((p) => p.underPressure).length}`
    );
  };
}

// Shedding off, for the comparison in the same run: the production default limit is replaced
// by 0 for that server only. Every other server here runs the production defaults.
const NO_SHEDDING = { PRESSURE_MAX_QUEUE_MS: '0' };

async function withServer<T>(backend: Backend, shedding: boolean, fn: (server: ServerProcess, cookie: string) => Promise<T>): Promise<T> {
  const database = await createTestDatabase(backend);
  const server = await startServerProcess(database, { ...(shedding ? {} : NO_SHEDDING), PURGE_INTERVAL_SECONDS: '0' });
  try {
    await timeToNormal(server);
    return await fn(server, await personWithFullWorkbook(server));
  } finally {
    await server.stop('SIGTERM');
    await database.drop();
  }
}

/**
 * Measures the sustainable rate (a few clients back to back, shedding off), then offers 2× and
 * 3× that rate to a server with the production load-shedding defaults and, as the comparison,
 * to one with shedding off; then half the sustainable rate to the shedding server, which should
 * shed nothing. Goodput is the admitted (2xx) answers per second; the summary line compares the
 * shedding server's goodput with the best goodput without shedding, and states the admitted p99.
 */
export async function benchOverload(backend: Backend): Promise<string[]> {
  const lines: string[] = [];
  const sustainable = await withServer(backend, false, (server, cookie) => load(server, cookie, { seconds: 5, connections: 4 }));
  const capacity = sustainable.admitted / sustainable.seconds;
  lines.push(describe(`${backend}, sustainable (4 clients back to back, shedding off)`, sustainable));
  for (const factor of OVERLOAD_FACTORS) {
    const rate = Math.max(1, Math.round(factor * capacity));
    const goodput: Record<'on' | 'off', Phase | undefined> = { on: undefined, off: undefined };
    for (const shedding of [true, false]) {
      await withServer(backend, shedding, async (server, cookie) => {
        const label = `${backend}, shedding ${shedding ? 'on (defaults)' : 'off'}`;
        const watch = watchPressure(server);
        const overload = await load(server, cookie, { seconds: OVERLOAD_SECONDS, connections: CONNECTIONS, rate });
        lines.push(`${backend}, shedding ${shedding ? 'on' : 'off'}, ${factor}×: the server's own view during it: ${await watch()}`);
        goodput[shedding ? 'on' : 'off'] = overload;
        lines.push(describe(`${label}, ${factor}× (${CONNECTIONS} connections)`, overload));
        if (!shedding) return;
        const recovery = await timeToNormal(server, cookie);
        const half = Math.max(1, Math.round(capacity / 2));
        const afterwards = await load(server, cookie, { seconds: 5, connections: 4, rate: half });
        lines.push(`${label}: back to normal ${format(recovery)} ms after the overload ended; ${describe('then at half the sustainable rate', afterwards)}`);
      });
    }
    const on = goodput.on!;
    const off = goodput.off!;
    const best = Math.max(off.admitted / off.seconds, sustainable.admitted / sustainable.seconds);
    lines.push(
      `${backend}, ${factor}×: goodput with shedding ${format(on.admitted / on.seconds, 1)} req/s = ${format(on.admitted / on.seconds / best, 2)} of the best unshedded ` +
        `(${format(best, 1)} req/s); admitted p99 ${format(on.admittedP99)} ms with shedding, ${format(off.admittedP99)} ms without ` +
        `(${format(on.admittedP99 / Math.max(1, sustainable.admittedP99), 1)}× the sustainable p99)`,
    );
  }
  return lines;
}
