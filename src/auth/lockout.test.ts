import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import { hashSessionToken } from './sessions.js';
import { purgeExpired } from '../maintenance/purge.js';
import { useTestApp, type TestClient } from '../testing/app.js';
import { BACKENDS } from '../testing/databases.js';

// Issue 27 item 9: wrong passwords sent by strangers must not lock the owner out. A right
// password from another address, or from a browser that logged in to the account before,
// gets in; the strangers' own guesses stay limited.

const MAX = 10;
const CEILING = 40;
const PASSWORD = 'correct horse battery';
const WRONG = 'wrong horse battery';
const ATTACKER = '198.51.100.66';

const login = (client: TestClient, email: string, password: string, address: string) =>
  client.post('/api/auth/login', { email, password }, { 'x-forwarded-for': address });

function setCookie(headers: Record<string, unknown>, name: string): string | undefined {
  const raw = headers['set-cookie'];
  const all = Array.isArray(raw) ? raw : raw === undefined ? [] : [String(raw)];
  return all.find((cookie: string) => cookie.startsWith(`${name}=`));
}

for (const backend of BACKENDS) {
  describe(`no lock-out by strangers on ${backend}`, () => {
    const t = useTestApp(backend, { loginMaxFailures: MAX, loginMaxFailuresPerEmail: CEILING, trustProxy: true });
    beforeEach(() => t.ctx.db.deleteFrom('rate_limits').execute());

    /** The owner registers in their usual browser, then logs out: the browser stays known. */
    async function ownerBrowser() {
      const browser = t.client();
      const { email, user } = await browser.register();
      assert.equal((await browser.post('/api/auth/logout')).status, 204);
      assert.ok(browser.cookies.has('mosaic_device'), 'the device cookie outlives the log out');
      assert.ok(!browser.cookies.has('mosaic_session'));
      return { browser, email, userId: user.id };
    }

    it('12 wrong passwords from one address: the owner gets in from another address and from their usual browser', async () => {
      const { browser, email } = await ownerBrowser();
      const statuses: number[] = [];
      for (let i = 0; i < 12; i++) statuses.push((await login(t.client(), email, WRONG, ATTACKER)).status);
      assert.deepEqual(statuses, [...Array(MAX).fill(401), 429, 429]);

      // The attacker's address stays limited, even with the right password.
      const attackerRight = await login(t.client(), email, PASSWORD, ATTACKER);
      assert.equal(attackerRight.status, 429);
      assert.equal(attackerRight.body.error.code, 'too_many_attempts');

      // Another address (the owner on their phone, say) is not locked out.
      const elsewhere = await login(t.client(), email, PASSWORD, '203.0.113.20');
      assert.equal(elsewhere.status, 200);
      assert.equal(elsewhere.body.user.email, email);

      // The usual browser gets in even from the attacker's address (one office NAT, say).
      const usual = await login(browser, email, PASSWORD, ATTACKER);
      assert.equal(usual.status, 200);
      assert.equal((await browser.get('/api/auth/me')).body.user.email, email);
    });

    it('a known browser has a budget of its own: a thief at it still gets few guesses', async () => {
      const { browser, email } = await ownerBrowser();
      const statuses: number[] = [];
      for (let i = 0; i < MAX + 3; i++) statuses.push((await login(browser, email, WRONG, '203.0.113.30')).status);
      assert.deepEqual(statuses, [...Array(MAX).fill(401), 429, 429, 429]);
      // Those failures were not counted against the address or the email.
      assert.equal((await login(t.client(), email, PASSWORD, '203.0.113.30')).status, 200);
    });

    it("another account's device cookie buys nothing: it is checked against the account being logged in to", async () => {
      const { email: victim } = await ownerBrowser();
      const attacker = t.client();
      const own = await attacker.register();
      const statuses: number[] = [];
      for (let i = 0; i < MAX + 2; i++) statuses.push((await login(attacker, victim, WRONG, ATTACKER)).status);
      assert.deepEqual(statuses, [...Array(MAX).fill(401), 429, 429]);
      // The same cookie is known to the attacker's own account: that login is on the device's budget.
      assert.equal((await login(attacker, own.email, PASSWORD, ATTACKER)).status, 200);
    });

    it('a forged or malformed device cookie is a browser like any other', async () => {
      const { email } = await ownerBrowser();
      for (let i = 0; i < MAX; i++) await login(t.client(), email, WRONG, ATTACKER);
      for (const forged of ['x'.repeat(43), 'short', 'A'.repeat(200)]) {
        const client = t.client();
        client.cookies.set('mosaic_device', forged);
        assert.equal((await login(client, email, PASSWORD, ATTACKER)).status, 429, forged);
      }
    });

    it('the device cookie is HttpOnly, SameSite=Strict, scoped to /api/auth; only its SHA-256 is stored; the purge forgets it after a year', async () => {
      const browser = t.client();
      const response = await browser.post('/api/auth/register', { email: `device-${Date.now()}@example.org`, password: PASSWORD });
      assert.equal(response.status, 201);
      const cookie = setCookie(response.headers, 'mosaic_device');
      assert.ok(cookie, 'registration sets the device cookie');
      assert.match(cookie, /HttpOnly/i);
      assert.match(cookie, /SameSite=Strict/i);
      assert.match(cookie, /Path=\/api\/auth(;|$)/);
      assert.match(cookie, /Max-Age=31536000/);
      const token = browser.cookies.get('mosaic_device')!;
      const rows = await t.ctx.db.selectFrom('login_devices').selectAll().where('user_id', '=', response.body.user.id).execute();
      assert.deepEqual(rows.map((r) => r.token_hash), [hashSessionToken(token)]);
      assert.ok(!rows.some((r) => r.token_hash.includes(token)));

      // Logging in again keeps the browser's token (one per browser, whoever logs in).
      await browser.post('/api/auth/logout');
      const again = await browser.post('/api/auth/login', { email: response.body.user.email, password: PASSWORD });
      assert.equal(again.status, 200);
      assert.equal(browser.cookies.get('mosaic_device'), token);

      const inAYear = await purgeExpired(t.ctx, new Date(Date.now() + 366 * 86_400_000));
      assert.ok(inAYear.oldDevices >= 1);
      assert.equal(
        (await t.ctx.db.selectFrom('login_devices').selectAll().where('user_id', '=', response.body.user.id).execute()).length,
        0,
      );
    });

    it('a client that keeps no cookies does not grow the list: an account remembers its 20 latest browsers', async () => {
      const { email, userId } = await ownerBrowser();
      for (let i = 0; i < 25; i++) assert.equal((await login(t.client(), email, PASSWORD, '203.0.113.40')).status, 200);
      const rows = await t.ctx.db.selectFrom('login_devices').select('token_hash').where('user_id', '=', userId).execute();
      assert.equal(rows.length, 20);
    });

    it("deleting the account deletes its known browsers", async () => {
      const browser = t.client();
      const { user } = await browser.register();
      assert.equal((await browser.delete('/api/me', { password: PASSWORD })).status, 204);
      assert.equal((await t.ctx.db.selectFrom('login_devices').selectAll().where('user_id', '=', user.id).execute()).length, 0);
    });
  });
}
