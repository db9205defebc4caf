import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { BACKENDS, createTestDatabase, type TestDatabase } from '../testing/databases.js';
import { HttpClient, startServerProcess } from '../testing/server-process.js';

const PASSWORD = 'correct horse battery';

// Users and sessions must survive the process going away, politely or not.
for (const backend of BACKENDS) {
  describe(`accounts survive restarts of a real server process on ${backend}`, () => {
    let database: TestDatabase;
    before(async () => {
      database = await createTestDatabase(backend);
    });
    after(() => database.drop());

    for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
      it(`keeps users and sessions across ${signal}`, async () => {
        const first = await startServerProcess(database);
        const client = new HttpClient(first.url);
        const email = `${signal.toLowerCase()}-${Date.now()}@example.org`;
        const registered = await client.request('POST', '/api/auth/register', { email, password: PASSWORD });
        assert.equal(registered.status, 201);
        const exit = await first.stop(signal);
        assert.equal(exit, signal === 'SIGTERM' ? 0 : 'SIGKILL', first.output());

        const second = await startServerProcess(database, {}, first.port);
        try {
          client.baseUrl = second.url;
          const me = await client.request('GET', '/api/auth/me');
          assert.equal(me.status, 200, 'the old session cookie still works');
          assert.equal(me.body.user.email, email);
          const fresh = new HttpClient(second.url);
          const login = await fresh.request('POST', '/api/auth/login', { email, password: PASSWORD });
          assert.equal(login.status, 200);
          assert.equal(login.body.user.id, registered.body.user.id);
        } finally {
          assert.equal(await second.stop('SIGTERM'), 0);
        }
      });
    }
  });
}
