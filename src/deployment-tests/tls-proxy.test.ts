import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { BACKENDS, createTestDatabase, type TestDatabase } from '../testing/databases.js';
import { ProxyClient, startHaproxy, type Haproxy } from '../testing/haproxy.js';
import { startServerProcess, type ServerProcess } from '../testing/server-process.js';

const PASSWORD = 'correct horse battery';
const REGISTRATIONS_PER_HOUR = 3;
const LOGIN_MAX_FAILURES = 3;

// Mosaic as an operator runs it on a VM or Railway: a real `mosaic serve` behind Debian's
// haproxy, which terminates TLS, sets X-Forwarded-Proto and appends the real client address
// to X-Forwarded-For; Mosaic believes one hop (TRUST_PROXY=1). Each person connects from a
// loopback address of their own, so the proxy sees, and forwards, different clients.
for (const backend of BACKENDS) {
  describe(`behind a TLS-terminating haproxy with TRUST_PROXY=1 on ${backend}`, () => {
    let database: TestDatabase;
    let server: ServerProcess;
    let proxy: Haproxy;
    const clients: ProxyClient[] = [];
    const person = (address: string, headers: Record<string, string> = {}) => {
      const client = new ProxyClient(proxy, address, headers);
      clients.push(client);
      return client;
    };

    before(async () => {
      database = await createTestDatabase(backend);
      server = await startServerProcess(database, {
        TRUST_PROXY: '1',
        RATE_LIMIT_REGISTRATIONS_PER_HOUR: String(REGISTRATIONS_PER_HOUR),
        LOGIN_MAX_FAILURES: String(LOGIN_MAX_FAILURES),
      });
      proxy = await startHaproxy({ backends: [{ name: 'mosaic', port: server.port }] });
    });
    after(async () => {
      for (const client of clients) client.close();
      await proxy?.stop();
      await server?.stop();
      await database?.drop();
    });

    it('registers, logs in, saves the workbook, uploads and downloads over https', async () => {
      const alice = person('127.0.0.2');
      const registered = await alice.request('POST', '/api/auth/register', { email: 'alice@example.org', password: PASSWORD });
      assert.equal(registered.status, 201, JSON.stringify(registered.body));
      assert.equal((await alice.request('POST', '/api/auth/logout')).status, 204);
      const login = await alice.request('POST', '/api/auth/login', { email: 'alice@example.org', password: PASSWORD });
      assert.equal(login.status, 200, JSON.stringify(login.body));

      const saved = await alice.request('PUT', '/api/ps101', { revision: 0, answers: { '1.1': 'behind the proxy' } });
      assert.equal(saved.status, 200, JSON.stringify(saved.body));
      const workbook = await alice.request('GET', '/api/ps101');
      assert.equal(workbook.body.answers['1.1'], 'behind the proxy');

      const bytes = Buffer.from('A résumé uploaded through TLS.\n');
      const uploaded = await alice.upload(bytes, 'cv.txt');
      assert.equal(uploaded.status, 201, JSON.stringify(uploaded.body));
      const downloaded = await alice.request('GET', `/api/files/${uploaded.body.file.id}/content`);
      assert.equal(downloaded.status, 200);
      assert.deepEqual(downloaded.raw, bytes);

      // The sessions record the person's own address, not the proxy's.
      const exported = await alice.request('GET', '/api/me/export');
      assert.equal(exported.status, 200);
      const addresses = new Set(exported.body.sessions.map((s: { ip: string }) => s.ip));
      assert.deepEqual([...addresses], ['127.0.0.2']);
    });

    it('counts per-address limits per real client, whatever X-Forwarded-For a client sends', async () => {
      const register = (client: ProxyClient) =>
        client.request('POST', '/api/auth/register', { email: `r-${Math.random().toString(36).slice(2)}@example.org`, password: PASSWORD });
      const bob = person('127.0.0.3');
      for (let i = 0; i < REGISTRATIONS_PER_HOUR; i++) assert.equal((await register(bob)).status, 201);
      const refused = await register(bob);
      assert.equal(refused.status, 429);
      assert.equal(refused.body.error.code, 'rate_limited');
      // A forged X-Forwarded-For does not make Bob someone else: haproxy appends his real address.
      const disguised = person('127.0.0.3', { 'x-forwarded-for': '203.0.113.77' });
      assert.equal((await register(disguised)).status, 429);
      // Carol, on another address, is not locked out by Bob.
      assert.equal((await register(person('127.0.0.4'))).status, 201);
    });

    it('throttles wrong passwords per real client', async () => {
      const owner = person('127.0.0.5');
      assert.equal((await owner.request('POST', '/api/auth/register', { email: 'dave@example.org', password: PASSWORD })).status, 201);
      const guesser = person('127.0.0.6');
      for (let i = 0; i < LOGIN_MAX_FAILURES; i++) {
        const wrong = await guesser.request('POST', '/api/auth/login', { email: `nobody${i}@example.org`, password: 'wrong password' });
        assert.equal(wrong.status, 401);
      }
      const blocked = await guesser.request('POST', '/api/auth/login', { email: 'dave@example.org', password: PASSWORD });
      assert.equal(blocked.status, 429);
      assert.equal(blocked.body.error.code, 'too_many_attempts');
      const dave = person('127.0.0.7');
      assert.equal((await dave.request('POST', '/api/auth/login', { email: 'dave@example.org', password: PASSWORD })).status, 200);
    });

    it('refuses a cross-site Origin even over the proxy', async () => {
      const mallory = person('127.0.0.8', { origin: 'https://evil.example' });
      const response = await mallory.request('POST', '/api/auth/guest');
      assert.equal(response.status, 403);
      assert.equal(response.body.error.code, 'forbidden_origin');
    });
  });
}

describe('TRUST_PROXY=true', () => {
  it('starts, warning that any client can then choose its address', async () => {
    const database = await createTestDatabase('sqlite');
    try {
      const server = await startServerProcess(database, { TRUST_PROXY: 'true' });
      assert.equal(await server.stop(), 0);
      assert.match(server.output(), /TRUST_PROXY=true believes X-Forwarded-For from any client/);
    } finally {
      await database.drop();
    }
  });
});
