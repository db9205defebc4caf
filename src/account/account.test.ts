import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sql } from 'kysely';
import { pdfDocument } from '../testing/fixtures.js';
import { createTestApp, type TestApp, type TestClient, useTestApp } from '../testing/app.js';
import { BACKENDS } from '../testing/databases.js';
import { seedChatMessage, seedWorkbookRun, uploadFile } from '../testing/person-data.js';

/** Gives the client's user something in every table of the schema. */
async function createEverything(t: TestApp, client: TestClient, userId: number) {
  const pdf = pdfDocument(['Patient care and empathy']);
  const file = (await uploadFile(client, pdf, 'cv.pdf')).body.file;
  const runId = await seedWorkbookRun(t.ctx.db, userId, { '1.1': 'patient care, teamwork' });
  await seedWorkbookRun(t.ctx.db, userId, { '1.1': 'older answers' }, { archived: true });
  await seedChatMessage(t.ctx.db, userId, 'user', 'I enjoy clinical assessment');
  await seedChatMessage(t.ctx.db, userId, 'coach', 'Tell me more.');
  const matches = (await client.post('/api/jobs/matches/refresh')).body.matches;
  await client.patch(`/api/jobs/matches/${matches[0].id}`, { status: 'saved', notes: 'first pick' });
  const resume = (await client.post('/api/resumes', { name: 'CV', fileId: file.id, jobMatchId: matches[0].id })).body.resume;
  const feedback = (await client.post(`/api/resumes/${resume.id}/feedback`)).body.feedback;
  return { pdf, file, runId, matches, resume, feedback };
}

/** Row counts of every table in the database (the migrator's own tables aside). */
async function tableCounts(t: TestApp): Promise<Record<string, number>> {
  const tables = (await t.ctx.db.introspection.getTables()).map((table) => table.name).filter((name) => !name.startsWith('kysely_'));
  const counts: Record<string, number> = {};
  for (const name of tables.sort()) {
    const result = await sql<{ n: number | string }>`select count(*) as n from ${sql.table(name)}`.execute(t.ctx.db);
    counts[name] = Number(result.rows[0]!.n);
  }
  return counts;
}

for (const backend of BACKENDS) {
  describe(`a person's data on ${backend}`, () => {
    const t = useTestApp(backend);

    it('exports everything the person created, without credentials; includeFiles adds the bytes', async () => {
      const client = t.client();
      const { user, email } = await client.register();
      const made = await createEverything(t, client, user.id);
      const response = await client.get('/api/me/export');
      assert.equal(response.status, 200);
      const data = response.body;
      assert.equal(data.formatVersion, 2);
      assert.ok(response.raw.toString().startsWith('{\n  "formatVersion": 2,\n'), 'pretty-printed');
      assert.deepEqual(Object.keys(data.account).sort(), ['createdAt', 'email', 'guest', 'id', 'lastActiveAt', 'updatedAt']);
      assert.equal(data.account.email, email);
      assert.ok(!response.raw.toString().includes('password_hash') && !response.raw.toString().includes('$argon2'));
      assert.ok(!response.raw.toString().includes('token'));
      assert.equal(data.sessions.length, 1);
      assert.equal(data.workbook.runs.length, 2);
      assert.deepEqual(data.workbook.runs[0].answers, [
        {
          key: '1.1',
          step: 1,
          stepTitle: 'Name the problem and the gap',
          question: 'In a sentence or two, what is the problem you want to work on?',
          answer: 'patient care, teamwork',
        },
      ]);
      assert.deepEqual(data.chat.messages.map((m: { role: string }) => m.role), ['user', 'coach']);
      assert.equal(data.chat.metrics.length, 1);
      assert.equal(data.chat.metrics[0].messageId, data.chat.messages[1].id);
      assert.equal(data.jobMatches.length, made.matches.length);
      const tracked = data.jobMatches.find((m: { id: number }) => m.id === made.matches[0].id);
      assert.equal(tracked.status, 'saved');
      assert.deepEqual(tracked.history.map((h: { toStatus: string }) => h.toStatus), ['saved']);
      assert.equal(data.resumes.length, 1);
      assert.equal(data.resumes[0].content, made.resume.content);
      assert.deepEqual(data.resumes[0].feedback, [made.feedback]);
      assert.equal(data.files.length, 1);
      assert.equal(data.files[0].sha256, made.file.sha256);
      assert.ok(data.files[0].textContent.includes('Patient care'));
      assert.equal(data.files[0].contentBase64, undefined);

      const withFiles = await client.get('/api/me/export?includeFiles=1');
      assert.equal(Buffer.from(withFiles.body.files[0].contentBase64, 'base64').equals(made.pdf), true);
      assert.equal((await client.get('/api/me/export?includeFiles=yes')).status, 400);
    });

    it('refuses deletion with a wrong or missing password and keeps everything', async () => {
      const client = t.client();
      const { user } = await client.register();
      await createEverything(t, client, user.id);
      const before = await tableCounts(t);
      const wrong = await client.delete('/api/me', { password: 'not my password' });
      assert.equal(wrong.status, 401);
      assert.equal(wrong.body.error.code, 'invalid_credentials');
      assert.equal((await client.delete('/api/me', {})).status, 401);
      // Only the failed attempt was counted (rate_limits); the person's data is all there.
      assert.deepEqual({ ...(await tableCounts(t)), rate_limits: 0 }, { ...before, rate_limits: 0 });
      assert.equal((await client.get('/api/auth/me')).status, 200);
    });

    it('deletes the account and leaves no row of the person in any table', async () => {
      const fresh = await createTestApp(backend);
      try {
        const bystander = fresh.client();
        const { user: other } = await bystander.register();
        const client = fresh.client();
        const { user, email, password } = await client.register();
        await createEverything(fresh, client, user.id);
        // A failed login under the person's email is personal data too (the email is in it).
        await fresh.client().post('/api/auth/login', { email, password: 'wrong password!' });
        // As a version before migration 0004 recorded it, during a rolling deploy.
        await fresh.ctx.db.insertInto('login_failures').values({ subject: `email:${email}`, failed_at: new Date().toISOString() }).execute();
        const loggedInElsewhere = fresh.client();
        await loggedInElsewhere.post('/api/auth/login', { email, password });

        const response = await client.delete('/api/me', { password });
        assert.equal(response.status, 204);
        assert.ok(String(response.headers['set-cookie']).includes('mosaic_session=;'));
        assert.equal(client.cookies.size, 0);

        const counts = await tableCounts(fresh);
        // Only the bystander's account and session remain, and the counters kept about the
        // client address (about the address, not the person: none names the account's email).
        // Every table of the schema is checked.
        const buckets = await fresh.ctx.db.selectFrom('rate_limits').select('bucket').orderBy('bucket').execute();
        assert.deepEqual(buckets.map((row) => row.bucket), ['password-checks-address:127.0.0.1', 'registrations:ip:127.0.0.1']);
        const expected = Object.fromEntries(Object.keys(counts).map((name) => [name, 0]));
        expected.users = 1;
        expected.sessions = 1;
        // The bystander's browser, known to the bystander's account (auth/devices.ts).
        expected.login_devices = 1;
        expected.rate_limits = 2;
        assert.deepEqual(counts, expected);
        assert.ok(Object.keys(counts).length >= 12);
        const remainingUser = await fresh.ctx.db.selectFrom('users').select('id').executeTakeFirstOrThrow();
        assert.equal(remainingUser.id, other.id);
        assert.equal((await loggedInElsewhere.get('/api/auth/me')).status, 401);
        const login = await fresh.client().post('/api/auth/login', { email, password });
        assert.equal(login.status, 401);
      } finally {
        await fresh.close();
      }
    });

    it('lets a guest delete without a password', async () => {
      const client = t.client();
      const guest = await client.post('/api/auth/guest');
      const guestId = guest.body.user.id;
      await seedChatMessage(t.ctx.db, guestId, 'user', 'hello');
      const response = await client.delete('/api/me', {});
      assert.equal(response.status, 204);
      const rows = await t.ctx.db.selectFrom('chat_messages').select('id').where('user_id', '=', guestId).execute();
      assert.equal(rows.length, 0);
      assert.equal(await t.ctx.db.selectFrom('users').select('id').where('id', '=', guestId).executeTakeFirst(), undefined);
      assert.equal((await client.get('/api/me/export')).status, 401);
    });
  });
}
