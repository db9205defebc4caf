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

    it('finishes requests in flight on SIGTERM, and every acknowledged write persists', async () => {
      const server = await startServerProcess(database);
      const emails = Array.from({ length: 12 }, (_, i) => `inflight-${i}-${Date.now()}@example.org`);
      // Registrations spend tens of milliseconds hashing, so several are in flight when the signal lands.
      const requests = emails.map((email) =>
        new HttpClient(server.url).request('POST', '/api/auth/register', { email, password: PASSWORD }).catch(() => null),
      );
      await new Promise((resolve) => setTimeout(resolve, 15));
      const exit = server.stop('SIGTERM');
      const responses = await Promise.all(requests);
      assert.equal(await exit, 0, server.output());
      const acknowledged = emails.filter((_, i) => responses[i]?.status === 201);
      assert.ok(acknowledged.length > 0, 'some registrations were acknowledged');
      for (const response of responses) {
        if (response) assert.ok(response.status < 500, `no 5xx during shutdown (got ${response.status})`);
      }
      const again = await startServerProcess(database);
      try {
        for (const email of acknowledged) {
          const login = await new HttpClient(again.url).request('POST', '/api/auth/login', { email, password: PASSWORD });
          assert.equal(login.status, 200, `${email} was acknowledged, so it must exist`);
        }
      } finally {
        await again.stop('SIGTERM');
      }
    });
  });
}
