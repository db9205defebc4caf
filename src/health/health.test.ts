import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createTestApp, useTestApp } from '../testing/app.js';
import { BACKENDS } from '../testing/databases.js';

for (const backend of BACKENDS) {
  describe(`health on ${backend}`, () => {
    const t = useTestApp(backend);

    it('reports the backend, the schema version and no pending migrations', async () => {
      const response = await t.client().get('/health');
      assert.equal(response.status, 200);
      assert.equal(response.body.status, 'ok');
      assert.equal(response.body.database.backend, backend);
      assert.equal(response.body.database.pendingMigrations, 0);
      assert.ok(response.body.database.schemaVersion >= 1);
    });

    it('answers 503 in the error shape when the database cannot be reached', async () => {
      const other = await createTestApp(backend);
      await other.database.close();
      const response = await other.client().get('/health');
      assert.equal(response.status, 503);
      assert.equal(response.body.error.code, 'database_unavailable');
      await other.app.close();
      await other.testDatabase.drop();
    });
  });
}
