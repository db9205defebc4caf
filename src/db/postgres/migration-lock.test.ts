import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { BACKENDS, createTestDatabase, type TestDatabase } from '../../testing/databases.js';
import { runMosaic } from '../../testing/mosaic-cli.js';
import { freePort } from '../../testing/ports.js';
import { startServerProcess } from '../../testing/server-process.js';
import { MIGRATION_LOCK_ID } from './migration-lock.js';

/** Holds the migration lock in an open transaction (as a migrating instance would) until released. */
async function holdMigrationLock(url: string): Promise<() => Promise<void>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query('begin');
  await client.query(`select pg_advisory_xact_lock(${MIGRATION_LOCK_ID})`);
  return async () => {
    await client.query('rollback');
    await client.end();
  };
}

if (BACKENDS.includes('postgres')) {
  describe('the migration lock on PostgreSQL', () => {
    let empty: TestDatabase;
    let migrated: TestDatabase;
    before(async () => {
      empty = await createTestDatabase('postgres');
      migrated = await createTestDatabase('postgres');
      const done = await runMosaic(['db', 'migrate'], { DATABASE_URL: migrated.location });
      assert.equal(done.code, 0, done.stderr);
    });
    after(async () => {
      await empty.drop();
      await migrated.drop();
    });

    it('a start that cannot get the lock in time says why and exits 1 instead of hanging', async () => {
      const release = await holdMigrationLock(empty.location);
      try {
        const start = await runMosaic(['serve'], { DATABASE_URL: empty.location, PORT: String(await freePort()), HOST: '127.0.0.1', MIGRATION_LOCK_TIMEOUT_SECONDS: '1' });
        assert.equal(start.code, 1, start.stdout + start.stderr);
        assert.match(start.stderr, /could not get the migration lock within 1 s: another process is migrating/);
      } finally {
        await release();
      }
      // Nothing was half-applied: the next start migrates everything.
      const status = await runMosaic(['db', 'status'], { DATABASE_URL: empty.location });
      assert.match(status.stdout, /schema version 0 of \d+/);
    });

    it('a start with nothing pending takes no lock: it listens while another process holds it', async () => {
      const release = await holdMigrationLock(migrated.location);
      try {
        const server = await startServerProcess(migrated, { MIGRATION_LOCK_TIMEOUT_SECONDS: '1' });
        assert.equal(await server.stop(), 0);
      } finally {
        await release();
      }
    });

    it('MIGRATE_ON_START=false and serve --no-migrate refuse to start while migrations are pending', async () => {
      const env = { DATABASE_URL: empty.location, PORT: String(await freePort()), HOST: '127.0.0.1' };
      const byEnv = await runMosaic(['serve'], { ...env, MIGRATE_ON_START: 'false' });
      assert.equal(byEnv.code, 1);
      assert.match(byEnv.stderr, /migration\(s\) pending .* run `mosaic db migrate`/);
      const byFlag = await runMosaic(['serve', '--no-migrate'], env);
      assert.equal(byFlag.code, 1);
      assert.match(byFlag.stderr, /migration\(s\) pending/);
      const status = await runMosaic(['db', 'status'], { DATABASE_URL: empty.location });
      assert.match(status.stdout, /schema version 0 of \d+/, 'nothing was migrated');
      // Migrated by the release step, the same start succeeds.
      const server = await startServerProcess(migrated, { MIGRATE_ON_START: 'false' });
      assert.equal(await server.stop(), 0);
    });
  });
}
