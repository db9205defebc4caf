import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildServer } from '../server.js';
import { createTestApp, useTestApp } from '../testing/app.js';
import { BACKENDS } from '../testing/databases.js';

for (const backend of BACKENDS) {
  describe(`health on ${backend}`, () => {
    const t = useTestApp(backend);

    it('readiness reports the backend, the schema version and no pending migrations', async () => {
      const response = await t.client().get('/health/ready');
      assert.equal(response.status, 200);
      assert.equal(response.body.status, 'ready');
      assert.equal(response.body.database.backend, backend);
      assert.equal(response.body.database.pendingMigrations, 0);
      assert.ok(response.body.database.schemaVersion >= 1);
    });

    it('liveness answers 200 without the database; readiness answers 503 in the error shape', async () => {
      const other = await createTestApp(backend);
      await other.database.close();
      const live = await other.client().get('/health');
      assert.equal(live.status, 200);
      assert.equal(live.body.status, 'ok');
      assert.equal(live.body.database.backend, backend);
      const ready = await other.client().get('/health/ready');
      assert.equal(ready.status, 503);
      assert.equal(ready.body.error.code, 'database_unavailable');
      assert.equal(ready.headers['retry-after'], '5');
      await other.app.close();
      await other.testDatabase.drop();
    });

    it('readiness answers 503 while starting and while draining, liveness 200 throughout', async () => {
      const other = await createTestApp(backend);
      try {
        const client = other.client();
        // Built but not yet marked ready (startServer marks it once listening, schema current).
        const fresh = await buildServer(other.ctx);
        try {
          const starting = await fresh.inject({ method: 'GET', url: '/health/ready' });
          assert.equal(starting.statusCode, 503);
          assert.equal(starting.json().error.code, 'starting');
          assert.equal((await fresh.inject({ method: 'GET', url: '/health' })).statusCode, 200);
        } finally {
          await fresh.close();
        }
        other.app.readiness.startDraining();
        const draining = await client.get('/health/ready');
        assert.equal(draining.status, 503);
        assert.equal(draining.body.error.code, 'draining');
        assert.equal(draining.headers.connection, 'close');
        const live = await client.get('/health');
        assert.equal(live.status, 200);
        assert.equal(live.headers.connection, 'close', 'every answer while draining asks the client to close');
        assert.equal((await client.get('/api/ps101/flow')).status, 200, 'still serving while draining');
      } finally {
        await other.close();
      }
    });
  });
}
