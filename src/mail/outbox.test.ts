import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { openDatabase, type Database } from '../db/connection.js';
import { addSeconds, nowIso } from '../db/values.js';
import { buildServer } from '../server.js';
import { createTestApp, type TestApp } from '../testing/app.js';
import { BACKENDS } from '../testing/databases.js';
import { linkIn, mailConfig, SUBJECTS, TestMailServer } from '../testing/mail-server.js';

const METRICS_TOKEN = 'metrics-token-for-tests-0123456789';
const unique = (name: string) => `${name}-${Math.random().toString(36).slice(2)}@example.org`;

async function waitUntil(check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

for (const backend of BACKENDS) {
  describe(`the mail outbox on ${backend}`, () => {
    let mail: TestMailServer;
    let t: TestApp;
    before(async () => {
      mail = await TestMailServer.start();
      t = await createTestApp(backend, { mail: mailConfig(mail), metricsToken: METRICS_TOKEN });
    });
    after(async () => {
      await t.close();
      await mail.stop();
    });

    const row = (recipient: string, kind: string) =>
      t.ctx.db.selectFrom('mail_outbox').selectAll().where('recipient', '=', recipient).where('kind', '=', kind).executeTakeFirst();

    it('keeps mail asked for while the mail server is down, retries with growing waits, and delivers it once the server is back', async () => {
      const { email } = await t.client().register(unique('outage'));
      await mail.waitFor(email, SUBJECTS.verify);
      await mail.stop();
      assert.equal((await t.client().post('/api/auth/password-reset', { email })).status, 202);
      // Two failed attempts, the second after a longer wait than the first.
      await waitUntil(async () => ((await row(email, 'password_reset'))?.attempts ?? 0) >= 2);
      const failing = (await row(email, 'password_reset'))!;
      assert.equal(failing.state, 'pending');
      assert.match(failing.last_error ?? '', /ECONNREFUSED/);
      assert.ok(failing.text_body.includes('/reset-password#token='), 'the mail is kept until it is sent');
      const metrics = await t.client().get('/metrics', { authorization: `Bearer ${METRICS_TOKEN}` });
      assert.match(metrics.body, /mosaic_mail_total\{kind="password_reset",outcome="retry"\} [1-9]/);

      await mail.listen();
      const delivered = await mail.waitFor(email, SUBJECTS.reset);
      const { token } = linkIn(delivered, '/reset-password');
      await waitUntil(async () => (await row(email, 'password_reset'))?.state === 'sent');
      const confirmed = await t.client().post('/api/auth/password-reset/confirm', { token, newPassword: 'new passphrase after outage' });
      assert.equal(confirmed.status, 200);
      await t.app.mailSender()!.idle();
      assert.equal(mail.to(email, SUBJECTS.reset).length, 1, 'delivered once');
    });

    it('gives up a mail whose link has expired, empties it, and counts it failed', async () => {
      await mail.stop();
      const recipient = unique('expired');
      await t.ctx.db.transaction().execute((trx) =>
        t.app.mail.queue(trx, recipient, { kind: 'email_changed', newEmail: 'x@example.org' }, { requestId: 'req-give-up', usefulUntil: addSeconds(nowIso(), 2) }),
      );
      t.app.mail.wake();
      await waitUntil(async () => (await row(recipient, 'email_changed'))?.state === 'failed');
      const failed = (await row(recipient, 'email_changed'))!;
      assert.equal(failed.text_body, '');
      assert.equal(failed.html_body, '');
      assert.ok(failed.finished_at);
      const metrics = await t.client().get('/metrics', { authorization: `Bearer ${METRICS_TOKEN}` });
      assert.match(metrics.body, /mosaic_mail_total\{kind="email_changed",outcome="failed"\} [1-9]/);
      await mail.listen();
      await t.app.mailSender()!.idle();
      assert.equal(mail.to(recipient).length, 0);
    });

    // Several instances share a PostgreSQL database; a SQLite file belongs to one instance.
    if (backend === 'postgres') it('never sends a mail twice when several instances share the database', async () => {
      // Two more instances on the same database, each with its own connection pool and sender.
      const others: { database: Database; app: FastifyInstance }[] = [];
      for (let i = 0; i < 2; i++) {
        const database = openDatabase(t.ctx.config.database);
        const app = await buildServer({ ...t.ctx, db: database.db }, { webRoot: null });
        await app.ready();
        others.push({ database, app });
      }
      try {
        const recipients = Array.from({ length: 40 }, (_, i) => unique(`many-${i}`));
        // Queued by all three instances, each waking its own sender at once.
        const apps = [t.app, ...others.map((o) => o.app)];
        await Promise.all(
          recipients.map(async (recipient, i) => {
            const app = apps[i % apps.length]!;
            await app.ctx.db.transaction().execute((trx) => app.mail.queue(trx, recipient, { kind: 'email_changed', newEmail: recipient }, { requestId: null }));
            app.mail.wake();
          }),
        );
        for (const recipient of recipients) await mail.waitFor(recipient, SUBJECTS.changed);
        for (const app of apps) await app.mailSender()!.idle();
        for (const recipient of recipients) assert.equal(mail.to(recipient).length, 1, `${recipient} got one mail`);
        const states = await t.ctx.db.selectFrom('mail_outbox').select(['state', 'attempts']).where('recipient', 'in', recipients).execute();
        assert.equal(states.length, 40);
        assert.ok(states.every((s) => s.state === 'sent' && s.attempts === 1));
      } finally {
        for (const other of others) {
          await other.app.close();
          await other.database.close();
        }
      }
    });
  });
}
