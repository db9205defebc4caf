import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { BACKENDS, createTestDatabase, type TestDatabase } from '../testing/databases.js';
import { linkIn, mailEnv, SUBJECTS, TestMailServer } from '../testing/mail-server.js';
import { RATE_LIMITS_RAISED } from '../testing/rate-limits.js';
import { HttpClient, startServerProcess } from '../testing/server-process.js';

const PASSWORD = 'correct horse battery';

for (const backend of BACKENDS) {
  describe(`mail across a SIGKILL of Mosaic on ${backend}`, () => {
    let database: TestDatabase;
    let mail: TestMailServer;
    before(async () => {
      database = await createTestDatabase(backend);
      mail = await TestMailServer.start();
    });
    after(async () => {
      await mail.stop();
      await database.drop();
    });

    it('delivers mail asked for while the mail server was down and just before a SIGKILL, once both are back', async () => {
      await mail.stop();
      const env = { ...mailEnv(mail), ...RATE_LIMITS_RAISED };
      const first = await startServerProcess(database, env);
      const email = `crash-${Math.random().toString(36).slice(2)}@example.org`;
      let restarted: Awaited<ReturnType<typeof startServerProcess>> | undefined;
      try {
        const person = new HttpClient(first.url);
        assert.equal((await person.request('POST', '/api/auth/register', { email, password: PASSWORD })).status, 201);
        const asked = await new HttpClient(first.url).request('POST', '/api/auth/password-reset', { email });
        assert.equal(asked.status, 202);
        assert.equal(await first.stop('SIGKILL'), 'SIGKILL');

        await mail.listen();
        restarted = await startServerProcess(database, env);
        // A claim the killed process held ends with its lease (3 × 5 s + 30 s here).
        const resetMail = await mail.waitFor(email, SUBJECTS.reset, 1, 90_000);
        await mail.waitFor(email, SUBJECTS.verify, 1, 90_000);
        const { token } = linkIn(resetMail, '/reset-password');
        const browser = new HttpClient(restarted.url);
        const confirmed = await browser.request('POST', '/api/auth/password-reset/confirm', { token, newPassword: 'after the crash 123' });
        assert.equal(confirmed.status, 200, JSON.stringify(confirmed.body));
        assert.equal((await browser.request('GET', '/api/auth/me')).body.user.email, email);
        assert.equal(mail.to(email, SUBJECTS.reset).length, 1);
        assert.equal(mail.to(email, SUBJECTS.verify).length, 1);
      } finally {
        await first.stop('SIGKILL');
        assert.equal(await restarted?.stop(), restarted ? 0 : undefined);
      }
    });
  });
}
