import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestApp, type TestApp } from '../testing/app.js';
import { BACKENDS } from '../testing/databases.js';
import { linkIn, PUBLIC_URL, SUBJECTS, useMailTestApp } from '../testing/mail-server.js';

const PASSWORD = 'correct horse battery';
const unique = (name: string) => `${name}-${Math.random().toString(36).slice(2)}@example.org`;

for (const backend of BACKENDS) {
  describe(`verified addresses on ${backend}`, () => {
    const s = useMailTestApp(backend);

    it('mails a verification link at registration; following it (in any browser) marks the address verified, once', async () => {
      const person = s.t.client();
      const { email } = await person.register(unique('verify'));
      assert.equal((await person.get('/api/auth/me')).body.user.emailVerified, false);
      const mail = await s.mail.waitFor(email, SUBJECTS.verify);
      const { link, token } = linkIn(mail, '/verify-email');
      assert.ok(link.startsWith(`${PUBLIC_URL}/verify-email#token=`));
      assert.match(mail.text, /If you did not create a Mosaic account/);
      const verified = await s.t.client().post('/api/auth/verify-email', { token });
      assert.equal(verified.status, 200);
      assert.deepEqual(verified.body, { email });
      assert.equal((await person.get('/api/auth/me')).body.user.emailVerified, true);
      const again = await s.t.client().post('/api/auth/verify-email', { token });
      assert.equal(again.status, 400);
      assert.equal(again.body.error.code, 'invalid_token');
      const resend = await person.post('/api/auth/verify-email/resend');
      assert.equal(resend.status, 409);
      assert.equal(resend.body.error.code, 'already_verified');
    });

    it("mails a verification link at a guest's upgrade", async () => {
      const guest = s.t.client();
      assert.equal((await guest.post('/api/auth/guest')).status, 201);
      assert.equal((await guest.get('/api/auth/me')).body.user.emailVerified, false);
      const email = unique('upgrade');
      assert.equal((await guest.post('/api/auth/register', { email, password: PASSWORD })).status, 201);
      const { token } = linkIn(await s.mail.waitFor(email, SUBJECTS.verify), '/verify-email');
      assert.equal((await guest.post('/api/auth/verify-email', { token })).status, 200);
      assert.equal((await guest.get('/api/auth/me')).body.user.emailVerified, true);
    });

    it('resends on request, superseding the earlier link, a few times an hour; an expired link is refused', async () => {
      const person = s.t.client();
      const { email, user } = await person.register(unique('resend'));
      const first = linkIn(await s.mail.waitFor(email, SUBJECTS.verify), '/verify-email');
      assert.equal((await person.post('/api/auth/verify-email/resend')).status, 202);
      const second = linkIn(await s.mail.waitFor(email, SUBJECTS.verify, 2), '/verify-email');
      assert.equal((await s.t.client().post('/api/auth/verify-email', { token: first.token })).status, 400, 'superseded');
      assert.equal((await person.post('/api/auth/verify-email/resend')).status, 202);
      assert.equal((await person.post('/api/auth/verify-email/resend')).status, 202);
      const limited = await person.post('/api/auth/verify-email/resend');
      assert.equal(limited.status, 429);
      assert.equal(limited.body.error.code, 'rate_limited');
      const last = linkIn(await s.mail.waitFor(email, SUBJECTS.verify, 4), '/verify-email');
      assert.notEqual(last.token, second.token);
      await s.t.ctx.db.updateTable('account_tokens').set({ expires_at: new Date(Date.now() - 1).toISOString() }).where('user_id', '=', user.id).execute();
      assert.equal((await s.t.client().post('/api/auth/verify-email', { token: last.token })).status, 400, 'expired');
      assert.equal((await person.get('/api/auth/me')).body.user.emailVerified, false);
      assert.equal((await s.t.client().post('/api/auth/verify-email/resend')).status, 401, 'resending needs a session');
    });
  });

  describe(`changing the address on ${backend}`, () => {
    const s = useMailTestApp(backend);

    it('changes nothing until the new address confirms; then moves the account and tells the old address', async () => {
      const person = s.t.client();
      const { email: oldEmail } = await person.register(unique('old'));
      const newEmail = unique('new');
      const wrong = await person.post('/api/auth/email', { newEmail, currentPassword: 'not my password' });
      assert.equal(wrong.status, 401);
      const asked = await person.post('/api/auth/email', { newEmail: ` ${newEmail.toUpperCase()} `, currentPassword: PASSWORD });
      assert.equal(asked.status, 202, JSON.stringify(asked.body));
      assert.deepEqual(asked.body, { pendingEmail: newEmail });
      const mail = await s.mail.waitFor(newEmail, SUBJECTS.change);
      const { link, token } = linkIn(mail, '/confirm-email');
      assert.ok(link.startsWith(`${PUBLIC_URL}/confirm-email#token=`));
      assert.equal((await person.get('/api/auth/me')).body.user.email, oldEmail, 'nothing changes before the confirmation');
      assert.equal((await s.t.client().post('/api/auth/login', { email: newEmail, password: PASSWORD })).status, 401);

      // A reset link mailed to the old address ends with the change.
      await s.t.client().post('/api/auth/password-reset', { email: oldEmail });
      const reset = linkIn(await s.mail.waitFor(oldEmail, SUBJECTS.reset), '/reset-password');

      const confirmed = await s.t.client().post('/api/auth/email/confirm', { token });
      assert.equal(confirmed.status, 200, JSON.stringify(confirmed.body));
      assert.deepEqual(confirmed.body, { email: newEmail });
      const me = (await person.get('/api/auth/me')).body.user;
      assert.equal(me.email, newEmail);
      assert.equal(me.emailVerified, true);
      assert.equal((await s.t.client().post('/api/auth/login', { email: newEmail, password: PASSWORD })).status, 200);
      assert.equal((await s.t.client().post('/api/auth/login', { email: oldEmail, password: PASSWORD })).status, 401);
      assert.equal((await s.t.client().post('/api/auth/email/confirm', { token })).status, 400, 'a token works once');
      assert.equal((await s.t.client().post('/api/auth/password-reset/confirm', { token: reset.token, newPassword: 'via the old address' })).status, 400);

      const notice = await s.mail.waitFor(oldEmail, SUBJECTS.changed);
      assert.ok(notice.text.includes(newEmail));
      assert.match(notice.text, /If you did not make this change/);
      assert.doesNotMatch(notice.text, /#token=/);
    });

    it('refuses the change at confirmation when the new address was taken meanwhile', async () => {
      const person = s.t.client();
      const { email } = await person.register(unique('taken-old'));
      const wanted = unique('wanted');
      assert.equal((await person.post('/api/auth/email', { newEmail: wanted, currentPassword: PASSWORD })).status, 202);
      const { token } = linkIn(await s.mail.waitFor(wanted, SUBJECTS.change), '/confirm-email');
      await s.t.client().register(wanted);
      const refused = await s.t.client().post('/api/auth/email/confirm', { token });
      assert.equal(refused.status, 409);
      assert.equal(refused.body.error.code, 'email_taken');
      assert.equal((await person.get('/api/auth/me')).body.user.email, email);
      const taken = await person.post('/api/auth/email', { newEmail: wanted, currentPassword: PASSWORD });
      assert.equal(taken.status, 409);
    });

    it('refuses bad input, a guest, an expired token, and counts wrong passwords in the login budget', async () => {
      const person = s.t.client();
      const { email, user } = await person.register(unique('bad'));
      for (const body of [{ newEmail: 'not-an-address', currentPassword: PASSWORD }, { newEmail: email, currentPassword: PASSWORD }, { newEmail: unique('x') }, { newEmail: unique('x'), currentPassword: PASSWORD, admin: true }]) {
        const response = await person.post('/api/auth/email', body);
        assert.equal(response.status, 400, JSON.stringify(body));
        assert.equal(response.body.error.code, 'invalid_input');
      }
      const guest = s.t.client();
      await guest.post('/api/auth/guest');
      assert.equal((await guest.post('/api/auth/email', { newEmail: unique('g'), currentPassword: PASSWORD })).status, 409);
      assert.equal((await s.t.client().post('/api/auth/email', { newEmail: unique('g'), currentPassword: PASSWORD })).status, 401);

      const later = unique('later');
      assert.equal((await person.post('/api/auth/email', { newEmail: later, currentPassword: PASSWORD })).status, 202);
      const { token } = linkIn(await s.mail.waitFor(later, SUBJECTS.change), '/confirm-email');
      await s.t.ctx.db.updateTable('account_tokens').set({ expires_at: new Date(Date.now() - 1).toISOString() }).where('user_id', '=', user.id).execute();
      assert.equal((await s.t.client().post('/api/auth/email/confirm', { token })).status, 400);

      // Last in this block: it spends the login budget of this address (10 checks).
      let status = 0;
      for (let i = 0; i < 12 && status !== 429; i++) {
        status = (await person.post('/api/auth/email', { newEmail: unique('guess'), currentPassword: `guess ${i} wrong` })).status;
      }
      assert.equal(status, 429, 'wrong passwords run out the login budget');
      assert.equal((await s.t.client().post('/api/auth/login', { email, password: PASSWORD })).status, 429);
    });
  });

  describe(`addresses without SMTP on ${backend}`, () => {
    let t: TestApp;
    before(async () => {
      t = await createTestApp(backend);
    });
    after(() => t.close());

    it('registers without a mail or token, and says plainly that changing the address or resending needs mail', async () => {
      const person = t.client();
      const { email } = await person.register(unique('quiet'));
      assert.equal((await person.get('/api/auth/me')).body.user.emailVerified, false);
      assert.equal((await t.ctx.db.selectFrom('account_tokens').select('id').execute()).length, 0);
      assert.equal((await t.ctx.db.selectFrom('mail_outbox').select('id').execute()).length, 0);
      for (const [url, body] of [['/api/auth/email', { newEmail: unique('n'), currentPassword: PASSWORD }], ['/api/auth/verify-email/resend', undefined]] as const) {
        const response = await person.post(url, body);
        assert.equal(response.status, 503, url);
        assert.equal(response.body.error.code, 'mail_not_configured');
      }
      assert.equal((await person.get('/api/auth/me')).body.user.email, email);
    });
  });
}
