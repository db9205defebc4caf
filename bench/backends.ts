import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import type { Backend } from '../src/db/connection.js';
import { openSqlite } from '../src/db/sqlite/dialect.js';
import { createPgPool } from '../src/db/postgres/pool.js';
import { createTestDatabase, type TestDatabase } from '../src/testing/databases.js';
import { freePort } from '../src/testing/ports.js';
import { RATE_LIMITS_RAISED } from '../src/testing/rate-limits.js';
import { HttpClient, startServerProcess, type ServerProcess } from '../src/testing/server-process.js';
import { pinProcess, SERVER_CPU } from './cpu.js';
import { CONNECTION_LEVELS } from './settings.js';

/** Environment of a server process run as in production: the compiled build, 2 MB semi-spaces (Dockerfile). */
export const PRODUCTION_RUN_ENV = { MOSAIC_RUN_DIST: '1', NODE_OPTIONS: '--max-semi-space-size=2' };

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
