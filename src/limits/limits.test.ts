import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { purgeExpired } from '../maintenance/purge.js';
import { UNLIMITED, useTestApp, type TestClient, type TestResponse } from '../testing/app.js';
import { BACKENDS, createTestDatabase, type TestDatabase } from '../testing/databases.js';
import { countRows, uploadFile } from '../testing/person-data.js';
import { HttpClient, startServerProcess } from '../testing/server-process.js';

const PASSWORD = 'correct horse battery';
const HOUR_S = 3600;

function assertRateLimited(response: TestResponse | { status: number; body: any; headers: Headers }, code = 'rate_limited') {
  assert.equal(response.status, 429, JSON.stringify(response.body));
  assert.deepEqual(Object.keys(response.body.error).sort(), ['code', 'message', 'retryAfter']);
  assert.equal(response.body.error.code, code);
  const header = response.headers instanceof Headers ? response.headers.get('retry-after') : response.headers['retry-after'];
  const retryAfter = Number(header);
  assert.ok(Number.isInteger(retryAfter) && retryAfter > 0 && retryAfter <= HOUR_S, `Retry-After ${header}`);
  assert.equal(response.body.error.retryAfter, retryAfter);
}

for (const backend of BACKENDS) {
  describe(`creation limits on ${backend}`, () => {
    const t = useTestApp(backend, {
      trustProxy: true,
      rateLimits: { ...UNLIMITED, guestsPerHour: 3, registrationsPerHour: 3, chatMessagesPerHour: 3, uploadsPerHour: 2, resumesPerHour: 2, feedbackPerHour: 2 },
    });
    // Each case comes from its own client address, so the per-address budgets do not mix.
    let nextAddress = 1;
    const address = () => ({ 'x-forwarded-for': `198.51.100.${nextAddress++}` });

    /** A registered person (from an address of their own), for the per-user limits. */
    async function person(): Promise<TestClient> {
      const client = t.client();
      const response = await client.post('/api/auth/register', { email: `p-${Math.random().toString(36).slice(2)}@example.org`, password: PASSWORD }, address());
      assert.equal(response.status, 201);
      return client;
    }

    it('limits guests per client address, atomically under a parallel burst', async () => {
      const from = address();
      const responses = await Promise.all(Array.from({ length: 20 }, () => t.client().post('/api/auth/guest', undefined, from)));
      assert.equal(responses.filter((r) => r.status === 201).length, 3);
      for (const refused of responses.filter((r) => r.status !== 201)) assertRateLimited(refused);
      assert.equal((await t.client().post('/api/auth/guest', undefined, address())).status, 201, 'another address is not affected');
    });

    it('limits registrations per address, whatever their outcome, so emails cannot be probed', async () => {
      const taken = `taken-${Math.random().toString(36).slice(2)}@example.org`;
      assert.equal((await t.client().post('/api/auth/register', { email: taken, password: PASSWORD }, address())).status, 201);
      const from = address();
      assert.equal((await t.client().post('/api/auth/register', { email: taken, password: PASSWORD }, from)).status, 409);
      assert.equal((await t.client().post('/api/auth/register', { email: taken, password: PASSWORD }, from)).status, 409);
      assert.equal((await t.client().post('/api/auth/register', { email: `new-${taken}`, password: PASSWORD }, from)).status, 201);
      // The fourth attempt is refused before the email is looked up: taken or not, the answer is 429.
      assertRateLimited(await t.client().post('/api/auth/register', { email: taken, password: PASSWORD }, from));
      assertRateLimited(await t.client().post('/api/auth/register', { email: `other-${taken}`, password: PASSWORD }, from));
      // A request the schema refuses costs nothing.
      assert.equal((await t.client().post('/api/auth/register', { email: 'x@example.org' }, address())).status, 400);
    });

    it('limits chat messages per user, before the coach is asked', async () => {
      const client = await person();
      for (let i = 0; i < 3; i++) assert.equal((await client.post('/api/chat/messages', { content: `Message ${i}` })).status, 201);
      assertRateLimited(await client.post('/api/chat/messages', { content: 'One too many' }));
      const other = await person();
      assert.equal((await other.post('/api/chat/messages', { content: 'Hello' })).status, 201, 'another user is not affected');
      const stored = await t.ctx.db.selectFrom('chat_messages').select('content').where('content', '=', 'One too many').execute();
      assert.equal(stored.length, 0);
    });

    it('limits uploads per user without reading the refused file', async () => {
      const client = await person();
      for (let i = 0; i < 2; i++) assert.equal((await uploadFile(client, Buffer.from(`notes ${i}`), `n${i}.txt`)).status, 201);
      const files = await countRows(t.ctx.db, 'files');
      assertRateLimited(await uploadFile(client, Buffer.from('third'), 'n3.txt'));
      assert.equal(await countRows(t.ctx.db, 'files'), files, 'nothing stored');
    });

    it('limits résumés and feedback per user', async () => {
      const client = await person();
      const ids: number[] = [];
      for (let i = 0; i < 2; i++) {
        const created = await client.post('/api/resumes', { name: `V${i}`, content: 'Led a team of five.\nShipped a product.' });
        assert.equal(created.status, 201);
        ids.push(created.body.resume.id);
      }
      assertRateLimited(await client.post('/api/resumes', { name: 'V3', content: 'Led a team.' }));
      assert.equal((await client.post(`/api/resumes/${ids[0]}/feedback`)).status, 201);
      assert.equal((await client.post(`/api/resumes/${ids[1]}/feedback`)).status, 201);
      assertRateLimited(await client.post(`/api/resumes/${ids[0]}/feedback`));
    });

    it('the purge deletes counters whose window has ended, and a new window starts afresh', async () => {
      const client = await person();
      for (let i = 0; i < 3; i++) await client.post('/api/chat/messages', { content: `Again ${i}` });
      assertRateLimited(await client.post('/api/chat/messages', { content: 'Refused' }));
      const before = await countRows(t.ctx.db, 'rate_limits');
      const result = await purgeExpired(t.ctx, new Date(Date.now() + 2 * HOUR_S * 1000));
      assert.ok(result.rateLimits >= 1 && result.rateLimits <= before);
      assert.equal(await countRows(t.ctx.db, 'rate_limits'), 0);
      assert.equal((await client.post('/api/chat/messages', { content: 'Allowed again' })).status, 201);
    });
  });

  describe(`limits across a restart on ${backend}`, () => {
    let database: TestDatabase;
    before(async () => {
      database = await createTestDatabase(backend);
    });
    after(async () => {
      await database.drop();
    });

    it('keeps guest, chat and login budgets in the database, so a restarted server still refuses', async () => {
      const env = { RATE_LIMIT_GUESTS_PER_HOUR: '2', RATE_LIMIT_CHAT_MESSAGES_PER_HOUR: '1', LOGIN_MAX_FAILURES: '2' };
      let server = await startServerProcess(database, env);
      const guest = new HttpClient(server.url);
      try {
        assert.equal((await guest.request('POST', '/api/auth/guest')).status, 201);
        assert.equal((await new HttpClient(server.url).request('POST', '/api/auth/guest')).status, 201);
        assertRateLimited(await new HttpClient(server.url).request('POST', '/api/auth/guest'));
        assert.equal((await guest.request('POST', '/api/chat/messages', { content: 'Hello' })).status, 201);
        const account = new HttpClient(server.url);
        assert.equal((await account.request('POST', '/api/auth/register', { email: 'restart@example.org', password: PASSWORD })).status, 201);
        for (let i = 0; i < 2; i++) {
          const wrong = await new HttpClient(server.url).request('POST', '/api/auth/login', { email: 'restart@example.org', password: 'wrong password' });
          assert.equal(wrong.status, 401);
        }
      } finally {
        assert.equal(await server.stop('SIGTERM'), 0);
      }
      server = await startServerProcess(database, env, server.port);
      try {
        assertRateLimited(await new HttpClient(server.url).request('POST', '/api/auth/guest'));
        assertRateLimited(await guest.request('POST', '/api/chat/messages', { content: 'Hello again' }));
        const login = await new HttpClient(server.url).request('POST', '/api/auth/login', { email: 'restart@example.org', password: PASSWORD });
        assertRateLimited(login, 'too_many_attempts');
      } finally {
        await server.stop('SIGTERM');
      }
    });
  });
}
