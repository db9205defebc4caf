import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { BACKENDS, type TestDatabase } from '../../testing/databases.js';
import { bootThrowawayPostgres, type ThrowawayPostgres } from '../../testing/embedded-postgres.js';
import { RATE_LIMITS_RAISED } from '../../testing/rate-limits.js';
import { startServerProcess, type ServerProcess } from '../../testing/server-process.js';

// The server's pool gives up on a connection after this long, so every request during an
// outage must be answered well within REQUEST_BOUND_MS (a hang would exceed it).
const CONNECT_TIMEOUT_MS = 2_000;
const REQUEST_BOUND_MS = 15_000;
const WORKERS = 6;
const PASSWORD = 'correct horse battery';

interface Outcome {
  status: number;
  ms: number;
}

/**
 * A bounded write load against a real server process: WORKERS loops, each saving its own
 * user's workbook (one statement) and now and then registering a new account (user and
 * session in one transaction). It remembers every write acknowledged with a 2xx, and every
 * registration answered 503, whose outcome is unknown but must be all or nothing.
 */
class WriteLoad {
  readonly outcomes: Outcome[] = [];
  readonly unexpected: string[] = [];
  readonly acknowledgedSaves = new Map<number, { revision: number; value: string }>();
  readonly acknowledgedEmails: string[] = [];
  readonly unknownEmails: string[] = [];
  #running = false;
  #workers: Promise<void>[] = [];
  #sequence = 0;
  readonly #prefix = `${process.pid}-${Date.now().toString(36)}`;

  constructor(private readonly baseUrl: string) {}

  async #send(method: string, url: string, body: unknown, cookie?: string) {
    const started = performance.now();
    try {
      const response = await fetch(`${this.baseUrl}${url}`, {
        method,
        headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(REQUEST_BOUND_MS),
      });
      const text = await response.text();
      const outcome = { status: response.status, ms: performance.now() - started };
      this.outcomes.push(outcome);
      if (response.status === 503 && !response.headers.get('retry-after')) this.unexpected.push(`503 without Retry-After on ${url}`);
      return { ...outcome, body: text ? JSON.parse(text) : null, cookie: response.headers.getSetCookie()[0]?.split(';')[0] };
    } catch (error) {
      this.unexpected.push(`${method} ${url}: ${String(error)}`);
      return { status: 0, ms: performance.now() - started, body: null, cookie: undefined };
    }
  }

  async #register(): Promise<string | undefined> {
    const email = `outage-${this.#prefix}-${this.#sequence++}@example.org`;
    const response = await this.#send('POST', '/api/auth/register', { email, password: PASSWORD });
    if (response.status === 201) this.acknowledgedEmails.push(email);
    else if (response.status === 503) this.unknownEmails.push(email);
    else this.unexpected.push(`register answered ${response.status}`);
    return response.status === 201 ? response.cookie : undefined;
  }

  async #worker(cookie: string, userId: number): Promise<void> {
    let revision = 0;
    for (let n = 0; this.#running; n++) {
      const value = `save ${userId}.${n}`;
      const response = await this.#send('PUT', '/api/ps101', { revision, answers: { '1.1': value } }, cookie);
      if (response.status === 200) {
        revision = response.body.revision;
        this.acknowledgedSaves.set(userId, { revision, value });
      } else if (response.status === 409) {
        // An earlier save answered 503 was committed after all: carry on from it.
        revision = response.body.error.current.revision;
      } else if (response.status !== 503) {
        this.unexpected.push(`PUT /api/ps101 answered ${response.status}`);
      }
      if (n % 4 === 3) await this.#register();
      // Keeps the load bounded (and the machine shared with others usable).
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  async start(): Promise<void> {
    this.#running = true;
    for (let i = 0; i < WORKERS; i++) {
      const email = `worker-${process.pid}-${i}-${Date.now()}@example.org`;
      const response = await this.#send('POST', '/api/auth/register', { email, password: PASSWORD });
      assert.equal(response.status, 201, 'the workers register before any fault');
      this.#workers.push(this.#worker(response.cookie!, response.body.user.id));
    }
  }

  async stop(): Promise<void> {
    this.#running = false;
    await Promise.all(this.#workers);
  }

  /** Statuses with counts and the slowest answer, for the test's diagnostics. */
  summary(): string {
    const statuses = new Map<number, number>();
    for (const o of this.outcomes) statuses.set(o.status, (statuses.get(o.status) ?? 0) + 1);
    const slowest = Math.max(...this.outcomes.map((o) => o.ms));
    return `${[...statuses].map(([status, n]) => `${status}×${n}`).join(' ')}; slowest ${Math.round(slowest)} ms`;
  }

  count(predicate: (outcome: Outcome) => boolean, from = 0): number {
    return this.outcomes.slice(from).filter(predicate).length;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitForHealth(baseUrl: string, status: number, withinMs: number): Promise<Response> {
  const deadline = performance.now() + withinMs;
  for (;;) {
    const response = await fetch(`${baseUrl}/health/ready`, { signal: AbortSignal.timeout(REQUEST_BOUND_MS) });
    if (response.status === status) return response;
    await response.arrayBuffer();
    if (performance.now() > deadline) assert.fail(`/health/ready did not answer ${status} within ${withinMs} ms (last ${response.status})`);
    await sleep(200);
  }
}

/** Every acknowledged write is in the database; every registration of unknown outcome is whole or absent. */
async function checkWrites(url: string, load: WriteLoad): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (const [userId, ack] of load.acknowledgedSaves) {
      const { rows } = await client.query('select revision, answers from ps101_runs where user_id = $1 and archived_at is null', [userId]);
      assert.equal(rows.length, 1, `user ${userId} has a live workbook`);
      const revision = Number(rows[0].revision);
      assert.ok(revision >= ack.revision, `user ${userId}: revision ${revision} older than the acknowledged ${ack.revision}`);
      // node-pg's default parsers (this client's) return json as an object.
      if (revision === ack.revision) assert.equal(rows[0].answers['1.1'], ack.value);
    }
    const accounts = async (emails: string[]) =>
      (
        await client.query(
          'select u.email, count(s.id)::int as sessions from users u left join sessions s on s.user_id = u.id where u.email = any($1) group by u.email',
          [emails],
        )
      ).rows as { email: string; sessions: number }[];
    const acknowledged = await accounts(load.acknowledgedEmails);
    assert.equal(acknowledged.length, load.acknowledgedEmails.length, 'every acknowledged registration exists');
    for (const row of acknowledged) assert.ok(row.sessions >= 1, `${row.email} has its session`);
    // A registration answered 503 may have committed before its connection died, but never half.
    for (const row of await accounts(load.unknownEmails)) assert.ok(row.sessions >= 1, `${row.email} exists without its session`);
  } finally {
    await client.end();
  }
}

function assertOnlyExpected(load: WriteLoad, t: { diagnostic(message: string): void }): void {
  t.diagnostic(`${load.summary()}; acknowledged: ${load.acknowledgedSaves.size} workbooks, ${load.acknowledgedEmails.length} registrations; unknown: ${load.unknownEmails.length}`);
  assert.deepEqual(load.unexpected, [], 'only 2xx, 409 after an unknown outcome, and 503 with Retry-After');
  const slowest = Math.max(...load.outcomes.map((o) => o.ms));
  assert.ok(slowest < REQUEST_BOUND_MS, `a request took ${Math.round(slowest)} ms`);
}

if (BACKENDS.includes('postgres')) {
  describe('PostgreSQL outages under a write load (a throwaway PostgreSQL)', () => {
    let postgres: ThrowawayPostgres;
    let server: ServerProcess;
    let database: TestDatabase;

    before(async () => {
      postgres = await bootThrowawayPostgres();
      const url = new URL(postgres.url);
      url.pathname = '/mosaic_outage';
      const admin = new pg.Client({ connectionString: postgres.url });
      await admin.connect();
      await admin.query('create database mosaic_outage');
      await admin.end();
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mosaic-outage-'));
      database = {
        config: { backend: 'postgres', url: url.toString(), poolMax: 5, statementTimeoutMs: 30_000 },
        location: url.toString(),
        dataDir,
        drop: async () => fs.rmSync(dataDir, { recursive: true, force: true }),
      };
      server = await startServerProcess(database, {
        // Six writers from one address register and write far more than a person would.
        ...RATE_LIMITS_RAISED,
        DATABASE_CONNECT_TIMEOUT_MS: String(CONNECT_TIMEOUT_MS),
        DATABASE_POOL_MAX: '5',
        PURGE_INTERVAL_SECONDS: '0',
      });
    });

    after(async () => {
      if (server && server.child.exitCode !== null) console.error(`mosaic serve exited:\n${server.output()}`);
      await server?.stop('SIGKILL');
      await database?.drop();
      await postgres?.destroy();
    });

    it('answers 503 with Retry-After while PostgreSQL restarts, recovers without a restart, loses no acknowledged write', async (t) => {
      const load = new WriteLoad(server.url);
      await load.start();
      await sleep(1_000);

      await postgres.stop();
      const outageStart = load.outcomes.length;
      const health = await waitForHealth(server.url, 503, 10_000);
      assert.equal(health.headers.get('retry-after'), '5');
      assert.equal(((await health.json()) as { error: { code: string } }).error.code, 'database_unavailable');
      // Liveness does not depend on the database: nothing would restart this process.
      assert.equal((await fetch(`${server.url}/health`)).status, 200);
      await sleep(2_000);
      const during = load.count((o) => o.status === 503, outageStart);
      assert.ok(during > 0, 'requests during the outage answered 503');

      await postgres.start();
      const restarted = performance.now();
      await waitForHealth(server.url, 200, 30_000);
      t.diagnostic(`healthy ${Math.round(performance.now() - restarted)} ms after PostgreSQL accepted connections again`);
      const recovered = load.outcomes.length;
      await sleep(1_500);
      await load.stop();

      assertOnlyExpected(load, t);
      assert.ok(load.count((o) => o.status < 300, recovered) > 0, 'writes succeed again without restarting Mosaic');
      assert.equal(server.child.exitCode, null, 'the server process is still running');
      await checkWrites(database.location, load);
    });

    it('answers 503 when every pool connection is terminated, and serves again at once', async (t) => {
      const load = new WriteLoad(server.url);
      await load.start();
      await sleep(1_000);

      const admin = new pg.Client({ connectionString: postgres.url, application_name: 'outage-test' });
      await admin.connect();
      let terminated = 0;
      for (let round = 0; round < 3; round++) {
        const { rows } = await admin.query(
          "select pg_terminate_backend(pid) as done from pg_stat_activity where application_name = 'mosaic' and pid <> pg_backend_pid()",
        );
        terminated += rows.filter((row) => row.done).length;
        await sleep(300);
      }
      await admin.end();
      assert.ok(terminated > 0, 'the pool had connections to terminate');
      const afterTermination = load.outcomes.length;
      await sleep(1_500);
      await load.stop();

      assertOnlyExpected(load, t);
      assert.ok(load.count((o) => o.status < 300, afterTermination) > 0, 'writes succeed right after the terminations');
      assert.equal(server.child.exitCode, null, 'the server process is still running');
      const health = await fetch(`${server.url}/health/ready`);
      assert.equal(health.status, 200);
      await checkWrites(database.location, load);
    });
  });
}
