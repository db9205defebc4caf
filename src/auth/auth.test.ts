import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import { hashSessionToken, SESSION_COOKIE } from './sessions.js';
import { createTestApp, useTestApp } from '../testing/app.js';
import { countQueriesThroughKysely } from '../testing/kysely-queries.js';
import { BACKENDS } from '../testing/databases.js';
import { addDays, nowIso } from '../db/values.js';
import { purgeExpired } from '../maintenance/purge.js';
import { openDatabase } from '../db/connection.js';
import { buildServer } from '../server.js';

const PASSWORD = 'correct horse battery';

function cookieHeader(response: { headers: Record<string, unknown> }): string {
  const raw = response.headers['set-cookie'];
  const all = Array.isArray(raw) ? raw : [String(raw)];
  const found = all.find((c) => c.startsWith(`${SESSION_COOKIE}=`));
  assert.ok(found, 'a session cookie was set');
  return found;
}

for (const backend of BACKENDS) {
  describe(`accounts and sessions on ${backend}`, () => {
    const t = useTestApp(backend);

    const sessionRows = (userId: number) =>
      t.ctx.db.selectFrom('sessions').selectAll().where('user_id', '=', userId).execute();

    it('registers with a trimmed, lower-cased email and sets a safe session cookie', async () => {
      const client = t.client();
      const response = await client.post('/api/auth/register', { email: '  Ada.Lovelace@Example.ORG ', password: PASSWORD });
      assert.equal(response.status, 201);
      assert.equal(response.body.user.email, 'ada.lovelace@example.org');
      assert.equal(typeof response.body.user.id, 'number');
      assert.match(response.body.user.createdAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      assert.equal(response.body.user.passwordHash, undefined);
      const cookie = cookieHeader(response);
      assert.match(cookie, /HttpOnly/);
      assert.match(cookie, /SameSite=Lax/);
      assert.match(cookie, /Path=\//);
      assert.doesNotMatch(cookie, /Secure/);
      const me = await client.get('/api/auth/me');
      assert.equal(me.status, 200);
      assert.deepEqual(me.body.user, response.body.user);
    });

    it('refuses a second account for the same email in any case', async () => {
      await t.client().register('grace@example.org');
      const response = await t.client().post('/api/auth/register', { email: 'GRACE@example.org', password: PASSWORD });
      assert.equal(response.status, 409);
      assert.deepEqual(Object.keys(response.body.error).sort(), ['code', 'message']);
      assert.equal(response.body.error.code, 'email_taken');
    });

    const badRegistrations: [string, unknown, number, string][] = [
      ['no body', undefined, 400, 'invalid_input'],
      ['missing password', { email: 'a@example.org' }, 400, 'invalid_input'],
      ['password of 7 characters', { email: 'a@example.org', password: '1234567' }, 400, 'invalid_input'],
      ['password of 1025 characters', { email: 'a@example.org', password: 'x'.repeat(1025) }, 400, 'invalid_input'],
      ['email that is not an address', { email: 'not-an-email', password: PASSWORD }, 400, 'invalid_input'],
      ['email of the wrong type', { email: 42, password: PASSWORD }, 400, 'invalid_input'],
      ['password of the wrong type', { email: 'a@example.org', password: 12345678 }, 400, 'invalid_input'],
      ['unexpected field', { email: 'a@example.org', password: PASSWORD, admin: true }, 400, 'invalid_input'],
    ];
    for (const [name, body, status, code] of badRegistrations) {
      it(`rejects a registration with ${name} and stores nothing`, async () => {
        const before = await t.ctx.db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
        const response = await t.client().post('/api/auth/register', body);
        assert.equal(response.status, status);
        assert.equal(response.body.error.code, code);
        assert.equal(typeof response.body.error.message, 'string');
        const afterCount = await t.ctx.db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
        assert.equal(Number(afterCount.n), Number(before.n));
      });
    }

    const rawBodies: [string, string, string, number, string][] = [
      ['malformed JSON', 'application/json', '{"email":', 400, 'invalid_json'],
      ['an unsupported content type', 'application/xml', '<hello/>', 415, 'unsupported_media_type'],
      ['a body over 1 MB', 'application/json', JSON.stringify({ email: 'a@example.org', password: 'x'.repeat(2 << 20) }), 413, 'payload_too_large'],
    ];
    for (const [name, type, payload, status, code] of rawBodies) {
      it(`answers ${name} with ${status} ${code}`, async () => {
        const response = await t.client().request({ method: 'POST', url: '/api/auth/login', headers: { 'content-type': type }, payload });
        assert.equal(response.status, status);
        assert.equal(response.body.error.code, code);
      });
    }

    it('answers unknown routes 404 in the error shape', async () => {
      const response = await t.client().get('/api/nothing-here');
      assert.equal(response.status, 404);
      assert.equal(response.body.error.code, 'not_found');
    });

    it('answers a wrong password and an unknown email with the same 401', async () => {
      const { email } = await t.client().register();
      const wrong = await t.client().post('/api/auth/login', { email, password: 'not the password' });
      const unknown = await t.client().post('/api/auth/login', { email: 'nobody@example.org', password: 'not the password' });
      assert.equal(wrong.status, 401);
      assert.equal(unknown.status, 401);
      assert.deepEqual(wrong.body, unknown.body);
      assert.equal(wrong.body.error.code, 'invalid_credentials');
      assert.equal(wrong.headers['set-cookie'], undefined);
    });

    it('issues a fresh session at every login and stores only the token hash', async () => {
      const first = t.client();
      const { email, user } = await first.register();
      const second = t.client();
      const login = await second.post('/api/auth/login', { email: ` ${email.toUpperCase()} `, password: PASSWORD });
      assert.equal(login.status, 200);
      assert.equal(login.body.user.id, user.id);
      const tokens = [first.cookies.get(SESSION_COOKIE)!, second.cookies.get(SESSION_COOKIE)!];
      assert.notEqual(tokens[0], tokens[1]);
      assert.equal(Buffer.from(tokens[0]!, 'base64url').length, 32);
      const rows = await sessionRows(user.id);
      assert.equal(rows.length, 2);
      const hashes = rows.map((r) => r.token_hash).sort();
      assert.deepEqual(hashes, tokens.map((token) => hashSessionToken(token)).sort());
      for (const row of rows) assert.ok(!Object.values(row).some((v) => tokens.includes(String(v))), 'no raw token stored');
      assert.equal((await first.get('/api/auth/me')).status, 200);
      assert.equal((await second.get('/api/auth/me')).status, 200);
    });

    it('logout ends that session only and deletes nothing else', async () => {
      const a = t.client();
      const { email, user } = await a.register();
      const b = t.client();
      await b.post('/api/auth/login', { email, password: PASSWORD });
      const out = await a.post('/api/auth/logout');
      assert.equal(out.status, 204);
      assert.match(String(out.headers['set-cookie']), new RegExp(`${SESSION_COOKIE}=;`));
      assert.equal((await a.get('/api/auth/me')).status, 401);
      assert.equal((await b.get('/api/auth/me')).status, 200);
      assert.equal((await sessionRows(user.id)).length, 1);
      const stillThere = await t.ctx.db.selectFrom('users').select('id').where('id', '=', user.id).executeTakeFirst();
      assert.ok(stillThere);
      // Logging out without a session is harmless.
      assert.equal((await t.client().post('/api/auth/logout')).status, 204);
    });

    it('logout-all ends every session of the user', async () => {
      const a = t.client();
      const { email, user } = await a.register();
      const b = t.client();
      await b.post('/api/auth/login', { email, password: PASSWORD });
      assert.equal((await b.post('/api/auth/logout-all')).status, 204);
      assert.equal((await a.get('/api/auth/me')).status, 401);
      assert.equal((await b.get('/api/auth/me')).status, 401);
      assert.equal((await sessionRows(user.id)).length, 0);
      assert.equal((await t.client().post('/api/auth/logout-all')).status, 401);
    });

    it('who-am-I without a session, or with an unknown token, is 401 unauthenticated', async () => {
      const anonymous = await t.client().get('/api/auth/me');
      assert.equal(anonymous.status, 401);
      assert.equal(anonymous.body.error.code, 'unauthenticated');
      const forged = await t.client().get('/api/auth/me', { cookie: `${SESSION_COOKIE}=${'A'.repeat(43)}` });
      assert.equal(forged.status, 401);
    });

    it('changing the password ends every other session and keeps this one', async () => {
      const a = t.client();
      const { email, user } = await a.register();
      const b = t.client();
      await b.post('/api/auth/login', { email, password: PASSWORD });
      const wrong = await a.post('/api/auth/password', { currentPassword: 'nope nope', newPassword: 'another fine password' });
      assert.equal(wrong.status, 401);
      const short = await a.post('/api/auth/password', { currentPassword: PASSWORD, newPassword: 'short' });
      assert.equal(short.status, 400);
      assert.equal(short.body.error.code, 'invalid_input');
      assert.equal((await b.get('/api/auth/me')).status, 200, 'failed attempts change nothing');
      const ok = await a.post('/api/auth/password', { currentPassword: PASSWORD, newPassword: 'another fine password' });
      assert.equal(ok.status, 204);
      assert.equal((await a.get('/api/auth/me')).status, 200);
      assert.equal((await b.get('/api/auth/me')).status, 401);
      assert.equal((await sessionRows(user.id)).length, 1);
      assert.equal((await t.client().post('/api/auth/login', { email, password: PASSWORD })).status, 401);
      assert.equal((await t.client().post('/api/auth/login', { email, password: 'another fine password' })).status, 200);
      assert.equal((await t.client().post('/api/auth/password', { currentPassword: PASSWORD, newPassword: 'x'.repeat(9) })).status, 401);
    });

    it('slides the expiry at most once a day, never past 90 days after login', async () => {
      const client = t.client();
      const { user } = await client.register();
      const [row] = await sessionRows(user.id);
      // A lookup within the day changes nothing.
      await client.get('/api/auth/me');
      assert.deepEqual(await sessionRows(user.id), [row]);
      // A day later the expiry moves to now + 30 days and the cookie is re-sent.
      const dayAgo = new Date(Date.now() - 86_400_000 - 1000).toISOString();
      await t.ctx.db.updateTable('sessions').set({ refreshed_at: dayAgo }).where('id', '=', row!.id).execute();
      const refreshed = await client.get('/api/auth/me');
      assert.equal(refreshed.status, 200);
      assert.ok(refreshed.headers['set-cookie'], 'cookie re-sent with the new expiry');
      const [slid] = await sessionRows(user.id);
      assert.ok(slid!.expires_at > row!.expires_at);
      assert.ok(Math.abs(Date.parse(slid!.expires_at) - Date.parse(addDays(nowIso(), 30))) < 60_000);
      // A session created 89.5 days ago can only slide to its 90-day limit.
      const created = new Date(Date.now() - 89.5 * 86_400_000).toISOString();
      await t.ctx.db.updateTable('sessions').set({ created_at: created, refreshed_at: dayAgo }).where('id', '=', row!.id).execute();
      await client.get('/api/auth/me');
      const [capped] = await sessionRows(user.id);
      assert.equal(capped!.expires_at, addDays(created, 90));
    });

    it('treats an expired session as logged out and deletes it', async () => {
      const client = t.client();
      const { user } = await client.register();
      await t.ctx.db
        .updateTable('sessions')
        .set({ expires_at: new Date(Date.now() - 1000).toISOString() })
        .where('user_id', '=', user.id)
        .execute();
      assert.equal((await client.get('/api/auth/me')).status, 401);
      assert.equal((await sessionRows(user.id)).length, 0);
    });

    if (backend === 'sqlite') {
      it('checks a live session at once, and waits its turn while another request’s transaction holds the connection', async () => {
        const client = t.client();
        await client.register();
        const db = t.ctx.db;
        const queries = countQueriesThroughKysely(db);
        try {
          assert.equal((await client.get('/api/auth/me')).status, 200);
          assert.equal(queries.count, 0, 'the session lookup ran without Kysely’s executor');
          let answered = false;
          let me: Promise<{ status: number }> | undefined;
          await db.transaction().execute(async (trx) => {
            await trx.selectFrom('users').select('id').execute();
            me = client.get('/api/auth/me').then((response) => ((answered = true), response));
            for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
            assert.equal(answered, false, 'the request waits while the transaction is open');
          });
          assert.equal((await me!).status, 200);
          assert.ok(queries.count > 0, 'the waiting lookup went through Kysely');
        } finally {
          queries.restore();
        }
      });
    }

    it('the periodic purge deletes expired sessions and old login failures only', async () => {
      const client = t.client();
      const { user } = await client.register();
      const stale = t.client();
      const { user: staleUser } = await stale.register();
      await t.ctx.db
        .updateTable('sessions')
        .set({ expires_at: new Date(Date.now() - 1000).toISOString() })
        .where('user_id', '=', staleUser.id)
        .execute();
      await t.ctx.db.insertInto('login_failures').values({ subject: 'ip:old', failed_at: '2000-01-01T00:00:00.000Z' }).execute();
      const result = await purgeExpired(t.ctx);
      assert.ok(result.expiredSessions >= 1);
      assert.ok(result.loginFailures >= 1);
      assert.equal((await sessionRows(user.id)).length, 1);
      assert.equal((await sessionRows(staleUser.id)).length, 0);
      assert.ok(await t.ctx.db.selectFrom('users').select('id').where('id', '=', staleUser.id).executeTakeFirst());
    });

    it('refuses unsafe requests whose Origin names another site', async () => {
      const client = t.client();
      const evil = await client.post('/api/auth/register', { email: 'x@example.org', password: PASSWORD }, { origin: 'https://evil.example' });
      assert.equal(evil.status, 403);
      assert.equal(evil.body.error.code, 'forbidden_origin');
      const opaque = await client.post('/api/auth/logout', undefined, { origin: 'null' });
      assert.equal(opaque.status, 403);
      const same = await client.post('/api/auth/logout', undefined, { origin: 'http://localhost', host: 'localhost:80' });
      assert.equal(same.status, 204);
      // Reads are not checked.
      assert.equal((await client.get('/health', { origin: 'https://evil.example' })).status, 200);
    });
  });

  describe(`brute-force protection on ${backend}`, () => {
    const t = useTestApp(backend, { loginMaxFailures: 3, loginMaxFailuresPerEmail: 3 });
    // Every in-process request comes from 127.0.0.1, so each case starts with clean counters.
    beforeEach(() => t.ctx.db.deleteFrom('rate_limits').execute());

    it('limits failures per email, answers 429 with Retry-After, and holds across instances', async () => {
      const { email } = await t.client().register();
      for (let i = 0; i < 3; i++) {
        const fail = await t.client().post('/api/auth/login', { email, password: 'wrong password' }, { 'x-forwarded-for': `10.0.0.${i}` });
        assert.equal(fail.status, 401);
      }
      const blocked = await t.client().post('/api/auth/login', { email, password: PASSWORD });
      assert.equal(blocked.status, 429);
      assert.equal(blocked.body.error.code, 'too_many_attempts');
      const retryAfter = Number(blocked.headers['retry-after']);
      assert.ok(retryAfter > 0 && retryAfter <= 15 * 60, `Retry-After ${retryAfter}`);
      // A second instance with its own connection to the same database sees the same counters.
      const twinDatabase = openDatabase(t.testDatabase.config);
      const twin = await buildServer({ ...t.ctx, db: twinDatabase.db });
      try {
        const response = await twin.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password: PASSWORD } });
        assert.equal(response.statusCode, 429);
      } finally {
        await twin.close();
        await twinDatabase.close();
      }
    });

    it('limits failures per client address across emails, ignoring X-Forwarded-For unless trusted', async () => {
      for (let i = 0; i < 3; i++) {
        const fail = await t.client().post('/api/auth/login', { email: `nobody${i}@example.org`, password: 'wrong password' }, {
          'x-forwarded-for': `192.0.2.${i}`,
        });
        assert.equal(fail.status, 401);
      }
      // Every inject comes from 127.0.0.1; the forged header did not hide that.
      const { email } = await t.client().register();
      const blocked = await t.client().post('/api/auth/login', { email, password: PASSWORD }, { 'x-forwarded-for': '192.0.2.200' });
      assert.equal(blocked.status, 429);
    });

    it('behind a trusted proxy, counts the forwarded client address', async () => {
      const proxied = await createTestApp(backend, { loginMaxFailures: 2, trustProxy: true });
      try {
        const { email } = await proxied.client().register();
        for (let i = 0; i < 2; i++) {
          await proxied.client().post('/api/auth/login', { email: `x${i}@example.org`, password: 'wrong password' }, { 'x-forwarded-for': '198.51.100.7' });
        }
        const sameClient = await proxied.client().post('/api/auth/login', { email, password: PASSWORD }, { 'x-forwarded-for': '198.51.100.7' });
        assert.equal(sameClient.status, 429);
        const otherClient = await proxied.client().post('/api/auth/login', { email, password: PASSWORD }, { 'x-forwarded-for': '198.51.100.8' });
        assert.equal(otherClient.status, 200);
      } finally {
        await proxied.close();
      }
    });
  });

  describe(`production cookies on ${backend}`, () => {
    it('marks the session cookie Secure when NODE_ENV=production', async () => {
      const t = await createTestApp(backend, { production: true, nodeEnv: 'production' });
      try {
        const response = await t.client().post('/api/auth/register', { email: 'secure@example.org', password: PASSWORD });
        assert.equal(response.status, 201);
        assert.match(cookieHeader(response), /Secure/);
      } finally {
        await t.close();
      }
    });
  });
}
