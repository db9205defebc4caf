import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { openSqlite, type Backend } from '../src/db/connection.js';
import { createPgPool } from '../src/db/postgres.js';
import { createTestDatabase, type TestDatabase } from '../src/testing/databases.js';
import { freePort } from '../src/testing/ports.js';
import { RATE_LIMITS_RAISED } from '../src/testing/rate-limits.js';
import { HttpClient, startServerProcess, type ServerProcess } from '../src/testing/server-process.js';

/** Each measurement runs at each of these concurrencies (BENCH_CONNECTIONS, default 20,50). */
export const CONNECTION_LEVELS = (process.env.BENCH_CONNECTIONS ?? '20,50').split(',').map(Number);
/** The concurrency of set-up work and single-level measurements (the first level). */
export const CONNECTIONS = CONNECTION_LEVELS[0]!;
export const DURATION_SECONDS = Number(process.env.BENCH_DURATION ?? 4);

/**
 * The machine has two cores and the load generator must not steal the server's: the server
 * (and the bare Fastify server) run pinned to SERVER_CPU, this process (autocannon and the
 * driver ceilings) to the other. Route and ceiling thus both get one core for their
 * JavaScript; PostgreSQL floats over both, as in production.
 */
export const SERVER_CPU = 0;
export const LOAD_CPU = 1;
const canPin = (() => {
  try {
    execFileSync('taskset', ['-p', String(process.pid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

/** Pins a process (all its threads) to one CPU when taskset exists; says whether it did. */
export function pinProcess(pid: number, cpu: number): boolean {
  if (!canPin) return false;
  execFileSync('taskset', ['-a', '-cp', String(cpu), String(pid)], { stdio: 'ignore' });
  return true;
}

/** Environment of a server process run as in production: the compiled build, 2 MB semi-spaces (Dockerfile). */
export const PRODUCTION_RUN_ENV = { MOSAIC_RUN_DIST: '1', NODE_OPTIONS: '--max-semi-space-size=2' };

export interface Measurement {
  rps: number;
  p99Ms: number;
  errors: number;
}

/** A direct line to the same database the server uses, for driver-level ceilings. */
export type Driver =
  | { backend: 'postgres'; pool: pg.Pool }
  | { backend: 'sqlite'; sqlite: BetterSqlite3.Database };

export interface BenchBackend {
  backend: Backend;
  database: TestDatabase;
  server: ServerProcess;
  driver: Driver;
  /** A client with a fresh registered user's session. */
  newUser(): Promise<HttpClient>;
}

/**
 * Starts `mosaic serve` as a real process on a fresh database of the backend, with a driver
 * connection beside it (pool of the server's size for PostgreSQL), runs `fn`, cleans up.
 */
export async function withBackend<T>(backend: Backend, fn: (b: BenchBackend) => Promise<T>): Promise<T> {
  const database = await createTestDatabase(backend);
  const server = await startServerProcess(database, {
    ...PRODUCTION_RUN_ENV,
    LOG_LEVEL: 'warn',
    PURGE_INTERVAL_SECONDS: '0',
    // The login-timing measurement fails on purpose many times from one address.
    LOGIN_MAX_FAILURES: '10000',
    LOGIN_MAX_FAILURES_PER_EMAIL: '100000',
    // The load comes from one address and a few users, far beyond what a person creates
    // (the chat-write scenario got 429s while only registrations and uploads were raised).
    ...RATE_LIMITS_RAISED,
    // Every connection comes from 127.0.0.1: autocannon's 50 plus the set-up clients' idle
    // keep-alive sockets pass the default cap of 100 per address, and refused connections
    // (429 too_many_connections, then closed) were counted as the route's errors.
    MAX_CONNECTIONS_PER_ADDRESS: '0',
    // The upload scenario sends CONNECTIONS PDFs at once, for seconds, as one user, and
    // measures memory with all of them in flight: none may be turned away with 503 uploads_busy
    // (at the default of 4, 16 of 20 were, and their bodies never reached the handler).
    MAX_STORAGE_MB_PER_USER: '100000',
    MAX_UPLOADS_AT_ONCE: String(Math.max(...CONNECTION_LEVELS)),
    EXTRACTION_MAX_PER_USER: '1000',
    EXTRACTION_QUEUE_MAX: '1000',
  });
  const driver: Driver =
    database.config.backend === 'postgres'
      ? { backend: 'postgres', pool: createPgPool(database.config.url, 10, 30_000) }
      : { backend: 'sqlite', sqlite: openSqlite(database.config.file, 'full') };
  pinProcess(server.child.pid!, SERVER_CPU);
  let users = 0;
  const newUser = async () => {
    const client = new HttpClient(server.url);
    const response = await client.request('POST', '/api/auth/register', {
      email: `bench-${users++}-${Date.now()}@example.org`,
      password: 'bench password 123',
    });
    if (response.status !== 201) throw new Error(`register failed: ${response.status}`);
    return client;
  };
  try {
    return await fn({ backend, database, server, driver, newUser });
  } finally {
    if (driver.backend === 'postgres') await driver.pool.end();
    else driver.sqlite.close();
    await server.stop('SIGTERM');
    await database.drop();
  }
}

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
 * Runs `work` in one PostgreSQL transaction on a client of its own, as the server's
 * `db.transaction()` does: begin, the statements, commit; rolled back if one fails.
 */
export async function inPgTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('begin');
    const result = await work(client);
    await client.query('commit');
    return result;
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
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

/**
 * A bare Fastify server in its own process: an empty route and one sending `megabyte` (the
 * download scenario's own bytes, so both send the same kind of body): the HTTP stack's ceiling.
 */
export async function withEmptyServer<T>(megabyte: Buffer, fn: (url: string, pid: number) => Promise<T>): Promise<T> {
  const port = await freePort();
  const bodyFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mosaic-bench-')), 'megabyte');
  fs.writeFileSync(bodyFile, megabyte);
  const child = spawn(process.execPath, ['--import', 'tsx', new URL('./empty-server.ts', import.meta.url).pathname], {
    env: { ...process.env, PORT: String(port), MEGABYTE_FILE: bodyFile, NODE_OPTIONS: PRODUCTION_RUN_ENV.NODE_OPTIONS },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  pinProcess(child.pid!, SERVER_CPU);
  await new Promise<void>((resolve, reject) => {
    child.stdout.once('data', () => resolve());
    child.once('exit', (code) => reject(new Error(`empty server exited ${code}`)));
  });
  try {
    return await fn(`http://127.0.0.1:${port}`, child.pid!);
  } finally {
    child.kill('SIGTERM');
    fs.rmSync(path.dirname(bodyFile), { recursive: true, force: true });
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

export function format(n: number, digits = 0): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

export interface Row {
  backend: string;
  scenario: string;
  connections: number;
  route: Measurement;
  ceiling: Measurement;
  ceilingName: string;
  /** The bare Fastify route of the same kind (empty, or 1 MB), measured at the same concurrency. */
  fastify?: Measurement;
  /** SQLite writes: the same ceiling with `synchronous=NORMAL` (the server runs FULL). */
  ceilingNormal?: Measurement;
  /** A read route's request, so the run can replay its answer from bare Fastify (see `measureReplay`). */
  request?: { path: string; headers?: Record<string, string> };
  /** Bare Fastify sending this route's exact answer (status, headers, body), same concurrency. */
  replay?: Measurement;
  /** The target this row is held to, for the table's last column. */
  target?: { ratioAtLeast?: number; ofFastifyAtLeast?: number; p99Below?: number };
}

/** Each measurement at every concurrency level of the run. */
export async function atEachLevel(measure: (connections: number) => Promise<Row | Row[]>): Promise<Row[]> {
  const rows: Row[] = [];
  for (const connections of CONNECTION_LEVELS) rows.push(...[await measure(connections)].flat());
  return rows;
}

/**
 * The most a read route could serve on one core if it added nothing of its own: it must send
 * its answer (bare Fastify replaying it) and run its statements (the driver ceiling), one
 * after the other on the same core, so their times per request add up. The driver loop's own
 * bookkeeping is in the ceiling, so this is an estimate, not a proof.
 */
function serialBound(r: Row): number | undefined {
  return r.replay ? 1 / (1 / r.replay.rps + 1 / r.ceiling.rps) : undefined;
}

function verdict(r: Row): string {
  if (!r.target) return '';
  const ratio = r.route.rps / r.ceiling.rps;
  const misses: string[] = [];
  if (r.target.ratioAtLeast !== undefined && ratio < r.target.ratioAtLeast) misses.push(`ratio < ${r.target.ratioAtLeast}`);
  if (r.target.ofFastifyAtLeast !== undefined && r.fastify && r.route.rps / r.fastify.rps < r.target.ofFastifyAtLeast) {
    const bound = serialBound(r);
    // Say so when even a route adding nothing to its bytes and statements would miss.
    const beyond = bound !== undefined && bound / r.fastify.rps < r.target.ofFastifyAtLeast ? `; bound ${format(bound / r.fastify.rps, 2)}` : '';
    misses.push(`of Fastify < ${r.target.ofFastifyAtLeast}${beyond}`);
  }
  if (r.target.p99Below !== undefined && r.route.p99Ms >= r.target.p99Below) misses.push(`p99 ≥ ${r.target.p99Below}`);
  return misses.length === 0 ? 'met' : `MISSED (${misses.join(', ')})`;
}

export function printRows(rows: Row[]): void {
  const header = ['backend', 'scenario', 'conn', 'route req/s', 'p99 ms', 'ceiling', 'ceiling ops/s', 'ratio', 'of Fastify', 'of same bytes', 'of bound', 'of NORMAL', 'errors', 'target'];
  const lines = rows.map((r) => [
    r.backend,
    r.scenario,
    String(r.connections),
    format(r.route.rps),
    format(r.route.p99Ms, 1),
    r.ceilingName,
    format(r.ceiling.rps),
    format(r.route.rps / r.ceiling.rps, 2),
    r.fastify ? format(r.route.rps / r.fastify.rps, 2) : '',
    r.replay ? format(r.route.rps / r.replay.rps, 2) : '',
    r.replay ? format(r.route.rps / serialBound(r)!, 2) : '',
    r.ceilingNormal ? format(r.route.rps / r.ceilingNormal.rps, 2) : '',
    String(r.route.errors + r.ceiling.errors),
    verdict(r),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const render = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
  console.log(render(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const line of lines) console.log(render(line));
}

/** The same figures as JSON, so runs can be compared (bench/results/ is ignored by git). */
export function writeResults(file: string, results: { machine: string; rows: Row[]; notes: string[] }): void {
  fs.mkdirSync(new URL('.', `file://${file}`).pathname, { recursive: true });
  const rows = results.rows.map((r) => ({
    ...r,
    ratio: Number((r.route.rps / r.ceiling.rps).toFixed(3)),
    ofFastify: r.fastify ? Number((r.route.rps / r.fastify.rps).toFixed(3)) : null,
    ofSameBytes: r.replay ? Number((r.route.rps / r.replay.rps).toFixed(3)) : null,
    serialBound: r.replay ? Math.round(serialBound(r)!) : null,
    ofSerialBound: r.replay ? Number((r.route.rps / serialBound(r)!).toFixed(3)) : null,
    ofSynchronousNormal: r.ceilingNormal ? Number((r.route.rps / r.ceilingNormal.rps).toFixed(3)) : null,
    verdict: verdict(r) || null,
  }));
  fs.writeFileSync(file, `${JSON.stringify({ date: new Date().toISOString(), ...results, rows }, null, 2)}\n`);
}
