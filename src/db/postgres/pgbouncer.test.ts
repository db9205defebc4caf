import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { loadConfig } from '../../config.js';
import { BACKENDS, createTestDatabase, type TestDatabase } from '../../testing/databases.js';
import { assertNothingFailedOrLost, MIXED_LOAD_SERVER_ENV, registerPeople, runMixedLoad } from '../../testing/mixed-load.js';
import { runMosaic } from '../../testing/mosaic-cli.js';
import { startPgBouncer, type PgBouncer } from '../../testing/pgbouncer.js';
import { HttpClient, startServerProcess, type ServerProcess } from '../../testing/server-process.js';
import { openDatabase, usesNamedStatements } from '../connection.js';
import { migrations } from '../migrations/index.js';

const POOLER = { DATABASE_POOLER: 'transaction' };
const LOAD_MS = 4000;
const STARTS = 10;
const INSTANCES = 3;

// Mosaic through Debian's PgBouncer with its stock settings in transaction pooling, as most
// hosted PostgreSQL is reached at scale: DATABASE_POOLER=transaction is the one setting.
if (BACKENDS.includes('postgres')) {
  describe('through PgBouncer in transaction pooling', () => {
    let bouncer: PgBouncer;
    let database: TestDatabase;
    let viaBouncer: string;
    before(async () => {
      database = await createTestDatabase('postgres');
      bouncer = await startPgBouncer({ upstreamUrl: database.location });
      viaBouncer = bouncer.urlFor(database.location);
    });
    after(async () => {
      await bouncer?.stop();
      await database?.drop();
    });

    it('decides named statements in one place, from DATABASE_POOLER', () => {
      const config = (env: Record<string, string>) => {
        const database = loadConfig({ DATABASE_URL: 'postgres://u@h/d', ...env }).database;
        assert.equal(database.backend, 'postgres');
        return database;
      };
      assert.equal(usesNamedStatements(config({})), true);
      assert.equal(usesNamedStatements(config(POOLER)), false);
      assert.equal(usesNamedStatements(config({ ...POOLER, DATABASE_NAMED_STATEMENTS: 'true' })), true, 'PgBouncer 1.21+ with max_prepared_statements');
      assert.equal(usesNamedStatements(config({ DATABASE_NAMED_STATEMENTS: 'false' })), false);
    });

    it('a stock PgBouncer refuses the statement timeout as a startup parameter, so Mosaic sets it per transaction, and it holds', async () => {
      const base = loadConfig({ DATABASE_URL: viaBouncer, DATABASE_STATEMENT_TIMEOUT_MS: '300' }).database;
      assert.equal(base.backend, 'postgres');
      const plain = openDatabase(base);
      try {
        await assert.rejects(sql`select 1`.execute(plain.db), /unsupported startup parameter: statement_timeout/);
      } finally {
        await plain.close();
      }
      const pooled = openDatabase({ ...base, pooler: 'transaction' });
      try {
        const shown = await sql<{ statement_timeout: string }>`show statement_timeout`.execute(pooled.db);
        assert.equal(shown.rows[0]!.statement_timeout, '300ms');
        await assert.rejects(sql`select pg_sleep(1)`.execute(pooled.db), /statement timeout/);
        await assert.rejects(
          pooled.db.transaction().execute(async (trx) => {
            await sql`select 1`.execute(trx);
            await sql`select pg_sleep(1)`.execute(trx);
          }),
          /statement timeout/,
        );
        // A statement within the timeout, with parameters (unnamed), in and out of transactions.
        const value = await sql<{ n: number }>`select ${41}::int + 1 as n`.execute(pooled.db);
        assert.equal(value.rows[0]!.n, 42);
        const inTransaction = await pooled.db.transaction().execute(async (trx) => (await sql<{ n: number }>`select ${1}::int as n`.execute(trx)).rows[0]!.n);
        assert.equal(inTransaction, 1);
      } finally {
        await pooled.close();
      }
    });

    it('serves a mixed load with 0 errors and loses no acknowledged write', async () => {
      const server = await startServerProcess(database, { DATABASE_URL: viaBouncer, ...POOLER, ...MIXED_LOAD_SERVER_ENV, DATABASE_POOL_MAX: '8', MAX_UPLOADS_AT_ONCE: '32' });
      try {
        const people = await registerPeople(12, () => new HttpClient(server.url), 'bouncer');
        const deadline = Date.now() + LOAD_MS;
        const result = await runMixedLoad(people, () => Date.now() > deadline);
        await assertNothingFailedOrLost(database.config, result);
        assert.doesNotMatch(server.output(), /prepared statement|unsupported startup parameter/);
      } finally {
        assert.equal(await server.stop(), 0);
      }
    });

    it('runs db status, backup, copy and verify through PgBouncer', async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mosaic-bouncer-cli-'));
      const env = { DATABASE_URL: viaBouncer, ...POOLER };
      try {
        const status = await runMosaic(['db', 'status'], env);
        assert.equal(status.code, 0, status.stderr);
        assert.match(status.stdout, /0 pending/);
        const backupFile = path.join(dir, 'backup.db');
        const backup = await runMosaic(['db', 'backup', '--to', backupFile], env);
        assert.equal(backup.code, 0, backup.stderr + backup.stdout);
        assert.match(backup.stdout, /backed up \d+ rows/);
        const copyFile = path.join(dir, 'copy.db');
        const copy = await runMosaic(['db', 'copy', '--from', viaBouncer, '--to', copyFile], env);
        assert.equal(copy.code, 0, copy.stderr + copy.stdout);
        const verify = await runMosaic(['db', 'verify', '--from', viaBouncer, '--to', backupFile], env);
        assert.equal(verify.code, 0, verify.stderr + verify.stdout);
        // And into PostgreSQL through PgBouncer: a restore of the backup into a fresh database.
        const target = await createTestDatabase('postgres');
        try {
          const restore = await runMosaic(['db', 'restore', '--from', backupFile, '--to', bouncer.urlFor(target.location)], env);
          assert.equal(restore.code, 0, restore.stderr + restore.stdout);
        } finally {
          await target.drop();
        }
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    it(`starts ${INSTANCES} instances at once on an empty database, ${STARTS} times: each migration applied once, every start listening`, async (t) => {
      const names = Object.keys(migrations);
      for (let round = 0; round < STARTS; round++) {
        const empty = await createTestDatabase('postgres');
        const servers: ServerProcess[] = [];
        try {
          const startedAt = performance.now();
          const starts = await Promise.allSettled(
            Array.from({ length: INSTANCES }, () =>
              startServerProcess(empty, { DATABASE_URL: bouncer.urlFor(empty.location), ...POOLER, LOG_LEVEL: 'info', MIGRATION_LOCK_TIMEOUT_SECONDS: '30' }),
            ),
          );
          // Reported, not asserted (timings are not): spawn to ready, tsx compilation included.
          t.diagnostic(`round ${round}: ${INSTANCES} instances ready ${((performance.now() - startedAt) / 1000).toFixed(1)} s after spawning`);
          for (const start of starts) if (start.status === 'fulfilled') servers.push(start.value);
          const refused = starts.filter((s) => s.status === 'rejected').map((s) => String((s as PromiseRejectedResult).reason));
          assert.deepEqual(refused, [], `round ${round}`);
          const applied = servers.flatMap((s) => [...s.output().matchAll(/"migration":"([^"]+)".*"migration applied"/g)].map((m) => m[1]!));
          assert.deepEqual(applied.sort(), [...names].sort(), `round ${round}: each migration applied exactly once`);
          for (const server of servers) assert.equal((await new HttpClient(server.url).request('GET', '/health/ready')).status, 200);
        } finally {
          for (const server of servers) await server.stop();
          await empty.drop();
        }
      }
      // No advisory lock is left behind on PgBouncer's pooled server connections.
      const direct = openDatabase(database.config);
      try {
        const locks = await sql<{ n: string }>`select count(*) as n from pg_locks where locktype = 'advisory'`.execute(direct.db);
        assert.equal(Number(locks.rows[0]!.n), 0);
      } finally {
        await direct.close();
      }
    });
  });
}
