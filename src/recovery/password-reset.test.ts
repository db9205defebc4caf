import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { SESSION_COOKIE } from '../auth/sessions.js';
import { createTestApp, UNLIMITED, type TestApp } from '../testing/app.js';
import { BACKENDS } from '../testing/databases.js';
import { LogCapture } from '../testing/logs.js';
import { linkIn, PUBLIC_URL, SUBJECTS, useMailTestApp } from '../testing/mail-server.js';
import { RESET_REQUESTED } from './routes.js';

const PASSWORD = 'correct horse battery';
const NEW_PASSWORD = 'a brand new passphrase 9';
const METRICS_TOKEN = 'metrics-token-for-tests-0123456789';
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const unique = (name: string) => `${name}-${Math.random().toString(36).slice(2)}@example.org`;

for (const backend of BACKENDS) {
  describe(`password reset by mail on ${backend}`, () => {
    const logs = new LogCapture();
    const s = useMailTestApp(backend, { metricsToken: METRICS_TOKEN }, { logs });

    async function resetMail(email: string, count = 1) {
      const mail = await s.mail.waitFor(email, SUBJECTS.reset, count);
      return { mail, ...linkIn(mail, '/reset-password') };
    }

    it('mails a link built from PUBLIC_URL only; following it sets the password, ends every session and logs this browser in', async () => {
      const first = s.t.client();
      const { email, user } = await first.register(unique('reset'));
      const second = s.t.client();
      assert.equal((await second.post('/api/auth/login', { email, password: PASSWORD })).status, 200);

      const forged = { host: 'evil.example', 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'http' };
      const asked = await s.t.client().post('/api/auth/password-reset', { email: email.toUpperCase() }, forged);
      assert.equal(asked.status, 202, JSON.stringify(asked.body));
      assert.deepEqual(asked.body, { message: RESET_REQUESTED });

      const { mail, link, token } = await resetMail(email);
      assert.ok(link.startsWith(`${PUBLIC_URL}/reset-password#token=`), link);
      assert.ok(!`${mail.text}${mail.html}`.includes('evil'), 'a forged Host never reaches the mail');
      assert.equal(mail.from, 'no-reply@mosaic.example.org');
      assert.ok(mail.secure, 'delivered over STARTTLS');
      assert.equal(mail.user, 'mosaic', 'logged in with the URL credentials');
      // Both parts, the link in both, what to do if it was not you, nothing loaded from outside.
      assert.ok(mail.html.includes(link.replace(/&/g, '&amp;')));
      assert.match(mail.text, /If it was not you/);
      assert.match(mail.html, /If it was not you/);
      assert.doesNotMatch(mail.html, /<img|<link|<script|src=|url\(|@import/i);
      const origins = [...mail.html.matchAll(/https?:\/\/[^\s"'<>/]+/g)].map((m) => m[0]);
      assert.ok(origins.every((o) => o === PUBLIC_URL), `only PUBLIC_URL is linked: ${origins.join(' ')}`);

      // Only the token's SHA-256 is stored; the sent mail's bodies (which held it) are emptied.
      const rows = await s.t.ctx.db.selectFrom('account_tokens').selectAll().where('user_id', '=', user.id).where('purpose', '=', 'password_reset').execute();
      assert.deepEqual(rows.map((r) => r.token_hash), [sha256(token)]);
      const outbox = await s.t.ctx.db.selectFrom('mail_outbox').selectAll().where('recipient', '=', email).where('kind', '=', 'password_reset').execute();
      assert.equal(outbox.length, 1);
      await waitUntil(async () => (await s.t.ctx.db.selectFrom('mail_outbox').select('state').where('id', '=', outbox[0]!.id).executeTakeFirstOrThrow()).state === 'sent');
      const sent = await s.t.ctx.db.selectFrom('mail_outbox').selectAll().where('id', '=', outbox[0]!.id).executeTakeFirstOrThrow();
      assert.equal(sent.text_body, '');
      assert.equal(sent.html_body, '');
      assert.equal(sent.request_id, asked.headers['x-request-id']);

      // The page the link opens, from another browser with no session.
      const browser = s.t.client();
      const done = await browser.post('/api/auth/password-reset/confirm', { token, newPassword: NEW_PASSWORD });
      assert.equal(done.status, 200, JSON.stringify(done.body));
      assert.deepEqual(done.body, { email, loggedIn: true });
      assert.ok(browser.cookies.get(SESSION_COOKIE));
      assert.equal((await browser.get('/api/auth/me')).body.user.emailVerified, true, 'following the mailed link proves the address');
      assert.equal((await first.get('/api/auth/me')).status, 401, 'every earlier session ended');
      assert.equal((await second.get('/api/auth/me')).status, 401, 'every earlier session ended');
      assert.equal((await s.t.client().post('/api/auth/login', { email, password: PASSWORD })).status, 401);
      assert.equal((await s.t.client().post('/api/auth/login', { email, password: NEW_PASSWORD })).status, 200);
      const hash = (await s.t.ctx.db.selectFrom('users').select('password_hash').where('id', '=', user.id).executeTakeFirstOrThrow()).password_hash;
      assert.match(hash ?? '', /^\$argon2id\$/);

      const again = await s.t.client().post('/api/auth/password-reset/confirm', { token, newPassword: 'yet another passphrase' });
      assert.equal(again.status, 400, 'a token works once');
      assert.equal(again.body.error.code, 'invalid_token');
    });

    it('answers an unknown address exactly as a known one, and mails and stores nothing for it', async () => {
      const { email } = await s.t.client().register(unique('known'));
      const nobody = unique('nobody');
      const known = await s.t.client().post('/api/auth/password-reset', { email });
      const unknown = await s.t.client().post('/api/auth/password-reset', { email: nobody });
      assert.equal(unknown.status, known.status);
      assert.deepEqual(unknown.body, known.body);
      assert.deepEqual(Object.keys(unknown.headers).sort(), Object.keys(known.headers).sort());
      await resetMail(email);
      await s.t.app.mailSender()!.idle();
      assert.equal(s.mail.to(nobody).length, 0);
      assert.equal((await s.t.ctx.db.selectFrom('mail_outbox').select('id').where('recipient', '=', nobody).execute()).length, 0);
    });

    it('refuses used, superseded, expired and malformed tokens, and a password change ends pending resets', async () => {
      const { email, user } = await s.t.client().register(unique('tokens'));
      await s.t.client().post('/api/auth/password-reset', { email });
      const older = await resetMail(email, 1);
      await s.t.client().post('/api/auth/password-reset', { email });
      const newer = await resetMail(email, 2);
      const superseded = await s.t.client().post('/api/auth/password-reset/confirm', { token: older.token, newPassword: NEW_PASSWORD });
      assert.equal(superseded.status, 400);
      assert.equal(superseded.body.error.code, 'invalid_token');

      await s.t.ctx.db.updateTable('account_tokens').set({ expires_at: new Date(Date.now() - 1000).toISOString() }).where('user_id', '=', user.id).execute();
      const expired = await s.t.client().post('/api/auth/password-reset/confirm', { token: newer.token, newPassword: NEW_PASSWORD });
      assert.equal(expired.status, 400);
      assert.equal(expired.body.error.code, 'invalid_token');

      const owner = s.t.client();
      assert.equal((await owner.post('/api/auth/login', { email, password: PASSWORD })).status, 200);
      await s.t.client().post('/api/auth/password-reset', { email });
      const pending = await resetMail(email, 3);
      assert.equal((await owner.post('/api/auth/password', { currentPassword: PASSWORD, newPassword: NEW_PASSWORD })).status, 204);
      const afterChange = await s.t.client().post('/api/auth/password-reset/confirm', { token: pending.token, newPassword: 'attacker chosen 123' });
      assert.equal(afterChange.status, 400, 'a password change ends pending resets');

      for (const token of ['short', `${'A'.repeat(42)}!`, 'A'.repeat(44)]) {
        const malformed = await s.t.client().post('/api/auth/password-reset/confirm', { token, newPassword: NEW_PASSWORD });
        assert.equal(malformed.status, 400);
        assert.equal(malformed.body.error.code, 'invalid_input');
      }
      const weak = await s.t.client().post('/api/auth/password-reset/confirm', { token: 'A'.repeat(43), newPassword: 'short' });
      assert.equal(weak.status, 400);
      assert.equal(weak.body.error.code, 'invalid_input');
    });

    it('mails one address a handful of times an hour, answering every request the same', async () => {
      const { email } = await s.t.client().register(unique('flood'));
      const answers = [];
      for (let i = 0; i < 8; i++) answers.push(await s.t.client().post('/api/auth/password-reset', { email }));
      for (const answer of answers) {
        assert.equal(answer.status, 202);
        assert.deepEqual(answer.body, { message: RESET_REQUESTED });
      }
      await resetMail(email, 5);
      await s.t.app.mailSender()!.idle();
      const queued = await s.t.ctx.db.selectFrom('mail_outbox').select('id').where('recipient', '=', email).where('kind', '=', 'password_reset').execute();
      assert.equal(queued.length, 5);
      assert.equal(s.mail.to(email, SUBJECTS.reset).length, 5);
    });

    it('keeps a browser holding guest work as the guest, and leaves it to log in', async () => {
      const { email } = await s.t.client().register(unique('guest-browser'));
      await s.t.client().post('/api/auth/password-reset', { email });
      const { token } = await resetMail(email);
      const guest = s.t.client();
      assert.equal((await guest.post('/api/auth/guest')).status, 201);
      const guestCookie = guest.cookies.get(SESSION_COOKIE);
      const done = await guest.post('/api/auth/password-reset/confirm', { token, newPassword: NEW_PASSWORD });
      assert.equal(done.status, 200);
      assert.deepEqual(done.body, { email, loggedIn: false });
      assert.equal(guest.cookies.get(SESSION_COOKIE), guestCookie);
      assert.equal((await guest.get('/api/auth/me')).body.user.guest, true);
    });

    it('never logs a token, logs each mail with its request id, and counts sent mail in /metrics', async () => {
      const { email } = await s.t.client().register(unique('logs'));
      const asked = await s.t.client().post('/api/auth/password-reset', { email });
      const { token } = await resetMail(email);
      const confirmed = await s.t.client().post('/api/auth/password-reset/confirm', { token, newPassword: NEW_PASSWORD });
      assert.equal(confirmed.status, 200);
      await s.t.app.mailSender()!.idle();
      const text = logs.text();
      assert.ok(!text.includes(token), 'the token is not in the logs');
      assert.ok(!text.includes(NEW_PASSWORD));
      const sentLine = logs.entries().find((e) => e.msg === 'mail sent' && e.requestId === asked.headers['x-request-id']);
      assert.ok(sentLine, 'the delivery is logged with the request id');
      assert.equal(sentLine.kind, 'password_reset');
      const metrics = await s.t.client().get('/metrics', { authorization: `Bearer ${METRICS_TOKEN}` });
      assert.match(metrics.body, /mosaic_mail_total\{kind="password_reset",outcome="sent"\} [1-9]/);
    });
  });

  describe(`password reset without SMTP on ${backend}`, () => {
    let t: TestApp;
    before(async () => {
      t = await createTestApp(backend, { rateLimits: { ...UNLIMITED, passwordResetsPerHour: 3 } });
    });
    after(() => t.close());

    it('answers as usual, writes no mail and no token, and limits requests per client address', async () => {
      const { email } = await t.client().register(unique('no-smtp'));
      for (let i = 0; i < 3; i++) {
        const answer = await t.client().post('/api/auth/password-reset', { email });
        assert.equal(answer.status, 202);
        assert.deepEqual(answer.body, { message: RESET_REQUESTED });
      }
      const limited = await t.client().post('/api/auth/password-reset', { email });
      assert.equal(limited.status, 429);
      assert.ok(Number(limited.headers['retry-after']) > 0);
      assert.equal((await t.ctx.db.selectFrom('mail_outbox').select('id').execute()).length, 0);
      assert.equal((await t.ctx.db.selectFrom('account_tokens').select('id').execute()).length, 0);
      assert.equal(t.app.mailSender(), undefined);
    });
  });
}

async function waitUntil(check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}
