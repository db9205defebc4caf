import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { useTestApp } from '../testing/app.js';
import { BACKENDS } from '../testing/databases.js';
import { runMosaic as mosaic } from '../testing/mosaic-cli.js';
import { databaseEnv } from '../testing/server-process.js';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const LINK = /^(https?:\/\/[^/]+)\/reset-password#token=([A-Za-z0-9_-]{43})$/;

for (const backend of BACKENDS) {
  describe(`mosaic users reset-link on ${backend}`, () => {
    // No SMTP_URL: the command is how an operator helps without mail.
    const t = useTestApp(backend);

    it('prints a one-time link from PUBLIC_URL, logs it without the token, and the link sets a new password', async () => {
      const person = t.client();
      const { email, user } = await person.register();
      const outcome = await mosaic(['users', 'reset-link', email.toUpperCase()], {
        ...databaseEnv(t.testDatabase),
        PUBLIC_URL: 'https://mosaic.example.org/',
        LOG_LEVEL: 'info',
      });
      assert.equal(outcome.code, 0, outcome.stderr);
      const lines = outcome.stdout.trim().split('\n');
      assert.equal(lines.length, 1, outcome.stdout);
      const [, origin, token] = LINK.exec(lines[0]!) ?? [];
      assert.equal(origin, 'https://mosaic.example.org');
      assert.ok(token);
      assert.match(outcome.stderr, /password-reset link issued by an operator/);
      assert.match(outcome.stderr, new RegExp(`"userId":${user.id}`));
      assert.ok(!outcome.stderr.includes(token), 'the token is not logged');
      const stored = await t.ctx.db.selectFrom('account_tokens').select('token_hash').where('user_id', '=', user.id).execute();
      assert.deepEqual(stored.map((r) => r.token_hash), [sha256(token)]);
      assert.equal((await t.ctx.db.selectFrom('mail_outbox').select('id').execute()).length, 0, 'no mail without SMTP');

      const done = await t.client().post('/api/auth/password-reset/confirm', { token, newPassword: 'set by the operator link' });
      assert.equal(done.status, 200, JSON.stringify(done.body));
      assert.equal((await person.get('/api/auth/me')).status, 401, 'the old sessions ended');
      assert.equal((await t.client().post('/api/auth/login', { email, password: 'set by the operator link' })).status, 200);
      assert.equal((await t.client().post('/api/auth/password-reset/confirm', { token, newPassword: 'once more please' })).status, 400);
    });

    it('links to http://localhost:PORT without PUBLIC_URL, and a newer link supersedes the older', async () => {
      const { email } = await t.client().register();
      const env = { ...databaseEnv(t.testDatabase), PORT: '9191' };
      const older = await mosaic(['users', 'reset-link', email], env);
      const newer = await mosaic(['users', 'reset-link', email], env);
      assert.equal(older.code, 0, older.stderr);
      const [, origin, olderToken] = LINK.exec(older.stdout.trim()) ?? [];
      const [, , newerToken] = LINK.exec(newer.stdout.trim()) ?? [];
      assert.equal(origin, 'http://localhost:9191');
      assert.equal((await t.client().post('/api/auth/password-reset/confirm', { token: olderToken, newPassword: 'from the older link' })).status, 400);
      assert.equal((await t.client().post('/api/auth/password-reset/confirm', { token: newerToken, newPassword: 'from the newer link' })).status, 200);
    });

    it('exits 1 with one line for an address no account uses', async () => {
      const outcome = await mosaic(['users', 'reset-link', 'nobody@example.org'], databaseEnv(t.testDatabase));
      assert.equal(outcome.code, 1);
      assert.equal(outcome.stdout, '');
      assert.match(outcome.stderr.trim(), /^mosaic: no registered account uses the address nobody@example.org$/);
    });
  });
}
