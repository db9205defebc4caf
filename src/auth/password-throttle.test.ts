import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import { useTestApp, type TestApp, type TestResponse } from '../testing/app.js';
import { BACKENDS } from '../testing/databases.js';

// Every password check is reserved in the database before the password is verified, so a burst
// of parallel guesses gets at most LOGIN_MAX_FAILURES verifications. A 401 or a 200 means the
// password was verified; a 429 means it was not.

const MAX = 5;
/** The per-email ceiling across addresses (LOGIN_MAX_FAILURES_PER_EMAIL). */
const CEILING = 20;
const PASSWORD = 'correct horse battery';
const WRONG = 'wrong horse battery';

function tally(responses: TestResponse[]) {
  const count = (status: number) => responses.filter((r) => r.status === status).length;
  const counts = { ok: count(200) + count(204), wrong: count(401), refused: count(429) };
  assert.equal(counts.ok + counts.wrong + counts.refused, responses.length, `only 2xx, 401 and 429: ${responses.map((r) => r.status)}`);
  for (const refused of responses.filter((r) => r.status === 429)) {
    assert.equal(refused.body.error.code, 'too_many_attempts');
    const retryAfter = Number(refused.headers['retry-after']);
    assert.ok(Number.isInteger(retryAfter) && retryAfter > 0 && retryAfter <= 15 * 60, `Retry-After ${retryAfter}`);
  }
  return counts;
}

/** 100 logins at once for one account: 99 wrong passwords and the right one at `position`. */
function loginBurst(t: TestApp, email: string, position: number, forwardedFor?: (i: number) => string) {
  return Promise.all(
    Array.from({ length: 100 }, (_, i) =>
      t.client().post(
        '/api/auth/login',
        { email, password: i === position ? PASSWORD : WRONG },
        forwardedFor ? { 'x-forwarded-for': forwardedFor(i) } : undefined,
      ),
    ),
  );
}

for (const backend of BACKENDS) {
  describe(`password checks under concurrency on ${backend}`, () => {
    const t = useTestApp(backend, { loginMaxFailures: MAX, loginMaxFailuresPerEmail: CEILING, trustProxy: true });
    // Each case starts with empty budgets (every inject comes from 127.0.0.1).
    beforeEach(() => t.ctx.db.deleteFrom('rate_limits').execute());

    for (const position of [0, 37, 99]) {
      it(`verifies at most ${MAX} wrong passwords of 100 parallel logins from one address (right one at ${position})`, async () => {
        const { email } = await t.client().register();
        const counts = tally(await loginBurst(t, email, position));
        assert.ok(counts.wrong <= MAX, `${counts.wrong} wrong passwords verified`);
        assert.ok(counts.ok <= 1);
        // The right password gives its reservation back, so at most one more check can follow it.
        assert.ok(counts.wrong + counts.ok <= MAX + 1, `${counts.wrong + counts.ok} passwords verified`);
        assert.ok(counts.wrong >= MAX - 1, 'the budget was used, not refused wholesale');
      });
    }

    it('counts per email across 100 client addresses up to the ceiling; past it only a browser that logged in before gets in', async () => {
      const owner = t.client();
      const { email } = await owner.register();
      await owner.post('/api/auth/logout');
      const counts = tally(await loginBurst(t, email, -1, (i) => `198.51.100.${i + 1}`));
      assert.equal(counts.wrong, CEILING);
      assert.equal(counts.refused, 100 - CEILING);
      // Distributed guessing is bounded, and a browser that never logged in waits for the window…
      const late = await t.client().post('/api/auth/login', { email, password: PASSWORD }, { 'x-forwarded-for': '203.0.113.1' });
      assert.equal(late.status, 429);
      assert.ok(Number(late.headers['retry-after']) > 0);
      // …but the owner's own browser is on its own budget, untouched by the strangers.
      const known = await owner.post('/api/auth/login', { email, password: PASSWORD }, { 'x-forwarded-for': '203.0.113.1' });
      assert.equal(known.status, 200);
    });

    it('counts per client address across 100 emails', async () => {
      const responses = await Promise.all(
        Array.from({ length: 100 }, (_, i) =>
          t.client().post('/api/auth/login', { email: `nobody-${i}@example.org`, password: WRONG }, { 'x-forwarded-for': '192.0.2.77' }),
        ),
      );
      const counts = tally(responses);
      assert.equal(counts.wrong, MAX);
      assert.equal(counts.refused, 100 - MAX);
    });

    it('a right password does not use up the budget', async () => {
      const { email } = await t.client().register();
      for (let i = 0; i < MAX * 2; i++) {
        assert.equal((await t.client().post('/api/auth/login', { email, password: PASSWORD })).status, 200);
      }
      const rows = await t.ctx.db.selectFrom('rate_limits').select(['bucket', 'hits']).where('bucket', 'like', 'password-checks-%').execute();
      assert.equal(rows.length, 2);
      assert.ok(rows.every((row) => row.hits === 0), JSON.stringify(rows));
    });

    it('throttles POST /api/auth/password: a stolen session cannot guess the password, nor lock the owner out', async () => {
      const owner = t.client();
      const { email } = await owner.register();
      const thief = t.client();
      thief.cookies.set('mosaic_session', owner.cookies.get('mosaic_session')!);
      const attempts = await Promise.all(
        Array.from({ length: 30 }, () => thief.post('/api/auth/password', { currentPassword: WRONG, newPassword: 'a new password 1' })),
      );
      const counts = tally(attempts);
      assert.equal(counts.wrong, MAX);
      assert.equal(counts.ok, 0);
      const right = await thief.post('/api/auth/password', { currentPassword: PASSWORD, newPassword: 'a new password 1' });
      assert.equal(right.status, 429);
      // The thief's address has spent its budget, for logins too…
      assert.equal((await t.client().post('/api/auth/login', { email, password: PASSWORD })).status, 429);
      // …but the owner logs in from another address.
      const login = await t.client().post('/api/auth/login', { email, password: PASSWORD }, { 'x-forwarded-for': '203.0.113.2' });
      assert.equal(login.status, 200);
    });

    it('throttles DELETE /api/me, sharing the per-email ceiling with logins', async () => {
      const owner = t.client();
      const { email } = await owner.register();
      for (let i = 0; i < CEILING - 2; i++) {
        const fail = await t.client().post('/api/auth/login', { email, password: WRONG }, { 'x-forwarded-for': `203.0.113.${10 + i}` });
        assert.equal(fail.status, 401);
      }
      const attempts = await Promise.all(Array.from({ length: 30 }, () => owner.delete('/api/me', { password: WRONG })));
      const counts = tally(attempts);
      assert.equal(counts.wrong, 2);
      const right = await owner.delete('/api/me', { password: PASSWORD });
      assert.equal(right.status, 429);
      assert.equal((await owner.get('/api/auth/me')).status, 200, 'the account is still there');
    });

    it('the right password within the budget still works for both', async () => {
      const owner = t.client();
      await owner.register();
      assert.equal((await owner.post('/api/auth/password', { currentPassword: WRONG, newPassword: 'a new password 1' })).status, 401);
      assert.equal((await owner.post('/api/auth/password', { currentPassword: PASSWORD, newPassword: 'a new password 1' })).status, 204);
      assert.equal((await owner.delete('/api/me', { password: 'a new password 1' })).status, 204);
    });
  });
}
