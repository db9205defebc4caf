import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createTestApp, useTestApp } from '../testing/app.js';
import { BACKENDS } from '../testing/databases.js';
import { LogCapture } from '../testing/logs.js';
import { uploadFile } from '../testing/person-data.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

for (const backend of BACKENDS) {
  describe(`request ids and logs on ${backend}`, () => {
    const logs = new LogCapture();
    const t = useTestApp(backend, {}, { logs });

    it('gives every request an id, returned in x-request-id and carried by each of its log lines', async () => {
      const response = await t.client().get('/api/auth/me', { 'x-request-id': 'chosen-by-the-client' });
      assert.equal(response.status, 401);
      const id = String(response.headers['x-request-id']);
      assert.match(id, UUID, 'without a trusted proxy, a client cannot choose the id');
      const lines = logs.entries().filter((entry) => entry.reqId === id);
      assert.ok(lines.length >= 2, 'the request and its completion are logged with the id');
      assert.ok(logs.entries().every((entry) => !('req' in entry) || typeof entry.reqId === 'string'));
    });

    it('keeps passwords, cookies, session tokens and file contents out of the logs', async () => {
      const password = 'first secret passphrase 1';
      const newPassword = 'second secret passphrase 2';
      const client = t.client();
      const registered = await client.register(`logs-${Date.now()}@example.org`, password);
      const login = await client.post('/api/auth/login', { email: registered.email, password });
      assert.equal(login.status, 200);
      const token = client.cookies.get('mosaic_session')!;
      assert.ok(token.length > 20);
      assert.equal((await client.post('/api/auth/login', { email: registered.email, password: 'wrong password 123' })).status, 401);
      assert.equal((await client.post('/api/auth/password', { currentPassword: password, newPassword })).status, 204);
      const secretText = 'CONFIDENTIAL-RESUME-TEXT-4242';
      assert.equal((await uploadFile(client, Buffer.from(`${secretText}\nmore lines\n`), 'cv.txt')).status, 201);
      assert.equal((await client.post('/api/chat/messages', { content: 'my private coaching note 777' })).status, 201);

      const text = logs.text();
      assert.ok(text.length > 0 && text.includes('/api/auth/password'), 'the requests were logged');
      for (const secret of [password, newPassword, token, secretText, 'my private coaching note 777']) {
        assert.ok(!text.includes(secret), `the logs contain ${secret}`);
      }
    });

    it('redacts credentials and contents even when code logs a request object', async () => {
      t.app.log.info(
        { headers: { cookie: 'mosaic_session=SECRET-A', authorization: 'Bearer SECRET-B' }, body: { password: 'SECRET-C' }, user: { token: 'SECRET-D', password: 'SECRET-E' } },
        'redaction probe',
      );
      const probe = logs.entries().find((entry) => entry.msg === 'redaction probe')!;
      assert.ok(probe, 'the probe was logged');
      assert.doesNotMatch(JSON.stringify(probe), /SECRET/);
      assert.equal((probe.headers as Record<string, string>).cookie, '[redacted]');
    });

    it('logs no stack for a 4xx', async () => {
      const response = await t.client().post('/api/auth/login', { email: 'nobody@example.org' });
      assert.equal(response.status, 400);
      const lines = logs.entries().filter((entry) => entry.reqId === response.headers['x-request-id']);
      assert.ok(lines.length > 0);
      assert.ok(lines.every((entry) => !('err' in entry) && entry.level !== 50), 'no error line for a client error');
    });
  });

  describe(`server errors in the logs on ${backend}`, () => {
    it('logs a 5xx at error level with its request id and the error, and shows the client none of it', async () => {
      const logs = new LogCapture();
      const t = await createTestApp(backend, {}, { logs });
      try {
        const client = await t.registeredClient();
        // A closed connection is a bug of ours (not an outage): it must surface as a 500.
        await t.database.close();
        const response = await client.get('/api/ps101');
        assert.ok(response.status >= 500);
        const id = response.headers['x-request-id'];
        assert.ok(!JSON.stringify(response.body).includes('stack'));
        const errors = logs.entries().filter((entry) => entry.reqId === id && entry.level === 50);
        assert.equal(errors.length, 1);
        assert.ok(errors[0]!.err || errors[0]!.dbError, 'the error is in the line');
      } finally {
        await t.app.close();
        await t.testDatabase.drop();
      }
    });
  });
}

describe('request ids behind a trusted proxy', () => {
  const t = useTestApp(BACKENDS[0]!, { trustProxy: true });

  it("accepts the proxy's sane X-Request-Id and replaces anything else", async () => {
    const client = t.client();
    const kept = await client.get('/health', { 'x-request-id': 'lb-7f3a.2026:abc' });
    assert.equal(kept.headers['x-request-id'], 'lb-7f3a.2026:abc');
    for (const hostile of ['x'.repeat(129), 'two words', 'line\u2028break', '']) {
      const replaced = await client.get('/health', { 'x-request-id': hostile });
      assert.match(String(replaced.headers['x-request-id']), UUID, `replaced ${JSON.stringify(hostile)}`);
    }
  });
});
