// End-to-end journeys across the workbook and the chat: what a person does over days, and
// what must still be there afterwards.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type TestClient, useTestApp } from '../testing/app.js';
import { BACKENDS, createTestDatabase } from '../testing/databases.js';
import { HttpClient, startServerProcess } from '../testing/server-process.js';

type Caller = (method: string, path: string, body?: unknown) => Promise<{ status: number; body: any }>;

const inProcess = (client: TestClient): Caller => (method, url, body) =>
  client.request({ method: method as 'GET', url, ...(body === undefined ? {} : { payload: body as object }) });

/** Some work in both places; returns what GET should show from now on. */
async function doSomeWork(call: Caller) {
  const saved = await call('PUT', '/api/ps101', { revision: 0, currentStep: 2, answers: { '1.1': 'Leave accounting', '2.1': 'Burnout' } });
  assert.equal(saved.status, 200);
  const chatted = await call('POST', '/api/chat/messages', { content: 'I will call a career changer I know on Monday.' });
  assert.equal(chatted.status, 201);
  return { workbook: saved.body, chat: (await call('GET', '/api/chat/messages')).body, metrics: (await call('GET', '/api/chat/metrics')).body };
}

async function assertWorkKept(call: Caller, work: Awaited<ReturnType<typeof doSomeWork>>) {
  assert.deepEqual((await call('GET', '/api/ps101')).body, work.workbook);
  assert.deepEqual((await call('GET', '/api/chat/messages')).body, work.chat);
  assert.deepEqual((await call('GET', '/api/chat/metrics')).body, work.metrics);
}

for (const backend of BACKENDS) {
  describe(`workbook and chat journeys on ${backend}`, () => {
    const t = useTestApp(backend);

    it('keeps a guest’s work when the guest registers', async () => {
      const client = t.client();
      const guest = await client.post('/api/auth/guest');
      assert.equal(guest.status, 201);
      assert.equal(guest.body.user.guest, true);
      const work = await doSomeWork(inProcess(client));
      const registered = await client.post('/api/auth/register', { email: `g-${Date.now()}@example.org`, password: 'long enough pass' });
      assert.equal(registered.status, 201);
      assert.equal(registered.body.user.id, guest.body.user.id);
      assert.equal(registered.body.user.guest, false);
      await assertWorkKept(inProcess(client), work);
    });

    it('shows the same workbook and chat after logout and login', async () => {
      const client = t.client();
      const { email, password } = await client.register();
      const work = await doSomeWork(inProcess(client));
      assert.equal((await client.post('/api/auth/logout')).status, 204);
      assert.equal((await client.get('/api/ps101')).status, 401);
      assert.equal((await client.post('/api/auth/login', { email, password })).status, 200);
      await assertWorkKept(inProcess(client), work);
    });

    it('keeps the workbook and chat across a real server restart', async () => {
      const database = await createTestDatabase(backend);
      // The offline coach, whatever the developer's environment says.
      const env = { COACH_API_URL: '', COACH_API_KEY: '' };
      try {
        let server = await startServerProcess(database, env);
        const client = new HttpClient(server.url);
        const email = `restart-${Date.now()}@example.org`;
        assert.equal((await client.request('POST', '/api/auth/register', { email, password: 'long enough pass' })).status, 201);
        const call: Caller = (method, path, body) => client.request(method, path, body);
        const work = await doSomeWork(call);
        assert.equal(await server.stop('SIGTERM'), 0);

        server = await startServerProcess(database, env);
        try {
          client.baseUrl = server.url;
          await assertWorkKept(call, work);
          const fresh = new HttpClient(server.url);
          assert.equal((await fresh.request('POST', '/api/auth/login', { email, password: 'long enough pass' })).status, 200);
          await assertWorkKept((method, path, body) => fresh.request(method, path, body), work);
        } finally {
          await server.stop('SIGTERM');
        }
      } finally {
        await database.drop();
      }
    });
  });
}
