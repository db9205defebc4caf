import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sql, type Kysely } from 'kysely';
import { startServer } from '../cli/serve.js';
import { createTestApp } from '../testing/app.js';
import { BACKENDS } from '../testing/databases.js';
import { MigrationFailedError, migrationStatus } from './migrate.js';
import { migrations } from './migrations/index.js';

/** Every table with its columns, and the applied migrations: what a failed migration must not change. */
async function schemaSnapshot(db: Kysely<any>) {
  const tables = await db.introspection.getTables({ withInternalKyselyTables: true });
  const applied = await db.selectFrom('kysely_migration').select('name').orderBy('name').execute();
  return {
    tables: tables
      .map((table) => ({ name: table.name, columns: table.columns.map((column) => column.name).sort() }))
      .sort((a, b) => a.name.localeCompare(b.name)),
    applied: applied.map((row) => row.name),
  };
}

// A release whose new migration creates a table, alters an existing one, writes rows, and
// then fails: everything before the failure must be undone.
const brokenRelease = {
  ...migrations,
  '0099_half_done': {
    async up(db: Kysely<any>) {
      await db.schema.createTable('half_done').addColumn('id', 'integer', (c) => c.primaryKey()).execute();
      await db.schema.alterTable('users').addColumn('half_done_flag', 'integer').execute();
      await db.insertInto('half_done').values({ id: 1 }).execute();
      await sql`select * from no_such_table`.execute(db);
    },
  },
};

for (const backend of BACKENDS) {
  describe(`a migration failing half-way on ${backend}`, () => {
    it('leaves the schema as it was, stops the new release from starting, and the running one keeps serving', async () => {
      const previous = await createTestApp(backend);
      try {
        const client = await previous.registeredClient();
        const saved = await client.put('/api/ps101', { revision: 0, answers: { '1.1': 'before the failed deploy' } });
        assert.equal(saved.status, 200);
        const before = await schemaSnapshot(previous.database.db);

        const config = { ...previous.ctx.config, port: 0, host: '127.0.0.1' };
        await assert.rejects(startServer(config, { migrations: brokenRelease }), (error: unknown) => {
          assert.ok(error instanceof MigrationFailedError);
          assert.match(error.message, /migration 0099_half_done failed/);
          assert.match(error.message, /no_such_table/);
          return true;
        });

        assert.deepEqual(await schemaSnapshot(previous.database.db), before);
        const status = await migrationStatus(previous.database.db);
        assert.deepEqual(status.pending, []);
        // Still the newest migration of the previous release, not the broken one's 0099.
        assert.equal(status.schemaVersion, status.latestVersion);

        // The instance of the previous version never noticed: it reads and writes as before.
        const read = await client.get('/api/ps101');
        assert.equal(read.status, 200);
        assert.equal(read.body.answers['1.1'], 'before the failed deploy');
        const next = await client.put('/api/ps101', { revision: read.body.revision, answers: { '1.2': 'after it' } });
        assert.equal(next.status, 200);
        // Readiness reads the schema (liveness never asks the database).
        const ready = await client.get('/health/ready');
        assert.equal(ready.status, 200);
        assert.equal(ready.body.database.pendingMigrations, 0);

        // And a fresh start of the previous release on the same database works.
        const restarted = await startServer(config);
        try {
          const response = await fetch(`${restarted.url}/health/ready`);
          assert.equal(response.status, 200);
        } finally {
          await restarted.close();
        }
      } finally {
        await previous.close();
      }
    });
  });
}
