import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nowIso } from '../db/values.js';
import { createTestApp, useTestApp, type TestApp, type TestClient } from '../testing/app.js';
import { BACKENDS } from '../testing/databases.js';
import { uploadFile } from '../testing/person-data.js';

// Issue 27 item 7: a guest who logs in to an existing account chooses to add the guest's work
// to it or to discard it; the server does either in the login's transaction and the guest ends.

const PASSWORD = 'correct horse battery';

/** A guest with a workbook answer, a chat exchange, a file and a résumé. */
async function guestWithWork(t: TestApp, tag: string): Promise<{ guest: TestClient; guestId: number }> {
  const guest = t.client();
  const created = await guest.post('/api/auth/guest');
  assert.equal(created.status, 201);
  assert.equal((await guest.put('/api/ps101', { revision: 0, answers: { '1.1': `guest answer ${tag}` } })).status, 200);
  assert.equal((await guest.post('/api/chat/messages', { content: `guest question ${tag}` })).status, 201);
  assert.equal((await uploadFile(guest, Buffer.from(`guest notes ${tag}`), `guest-${tag}.txt`)).status, 201);
  assert.equal((await guest.post('/api/resumes', { name: `guest résumé ${tag}`, content: 'Experienced in things.' })).status, 201);
  return { guest, guestId: created.body.user.id };
}

async function account(t: TestApp, answers?: Record<string, string>) {
  const owner = t.client();
  const { email, user } = await owner.register();
  if (answers) assert.equal((await owner.put('/api/ps101', { revision: 0, answers })).status, 200);
  return { owner, email, userId: user.id };
}

const userExists = async (t: TestApp, id: number) =>
  (await t.ctx.db.selectFrom('users').select('id').where('id', '=', id).executeTakeFirst()) !== undefined;

for (const backend of BACKENDS) {
  describe(`a guest logging in to an account on ${backend}`, () => {
    const t = useTestApp(backend);

    it('is asked first: without a choice, 409 with what the guest has, before any password check, and nothing changes', async () => {
      const { guest, guestId } = await guestWithWork(t, 'ask');
      const { email } = await account(t);
      const asked = await guest.post('/api/auth/login', { email, password: 'not even the password' });
      assert.equal(asked.status, 409);
      assert.equal(asked.body.error.code, 'guest_work_choice_required');
      assert.deepEqual(asked.body.error.guestWork, { workbookRuns: 1, chatMessages: 2, files: 1, jobMatches: 0, resumes: 1, trackedJobs: 0 });
      const checks = await t.ctx.db.selectFrom('rate_limits').select('hits').where('bucket', '=', `password-checks-email:${email}`).executeTakeFirst();
      assert.equal(checks?.hits ?? 0, 0, 'no password was checked');
      assert.equal((await guest.get('/api/auth/me')).body.user.id, guestId, 'still the guest');
      assert.equal((await guest.get('/api/ps101')).body.answers['1.1'], 'guest answer ask');
    });

    it('a wrong password with a choice changes nothing', async () => {
      const { guest, guestId } = await guestWithWork(t, 'wrong');
      const { email } = await account(t);
      const wrong = await guest.post('/api/auth/login', { email, password: 'wrong horse battery', guestWork: 'merge' });
      assert.equal(wrong.status, 401);
      assert.ok(await userExists(t, guestId));
      assert.equal((await guest.get('/api/auth/me')).body.user.id, guestId);
    });

    it("merge: the account keeps its answers and gains the guest's as a past run, with chat, files and résumés; the guest ends", async () => {
      const { guest, guestId } = await guestWithWork(t, 'merge');
      const { owner, email, userId } = await account(t, { '1.1': 'the account’s own answer' });
      const guestCookie = guest.cookies.get('mosaic_session')!;

      const merged = await guest.post('/api/auth/login', { email, password: PASSWORD, guestWork: 'merge' });
      assert.equal(merged.status, 200);
      assert.equal(merged.body.guestWork, 'merged');
      assert.equal(merged.body.user.id, userId);
      assert.equal((await guest.get('/api/auth/me')).body.user.id, userId, 'now signed in to the account');

      assert.equal((await owner.get('/api/ps101')).body.answers['1.1'], 'the account’s own answer', 'nothing overwritten');
      const runs = (await owner.get('/api/ps101/runs')).body.runs as { id: number; archivedAt: string | null }[];
      const past = runs.filter((run) => run.archivedAt !== null);
      assert.equal(past.length, 1);
      assert.equal((await owner.get(`/api/ps101/runs/${past[0]!.id}`)).body.run.answers['1.1'], 'guest answer merge');
      const messages = (await owner.get('/api/chat/messages')).body.messages as { content: string }[];
      assert.ok(messages.some((m) => m.content === 'guest question merge'));
      const files = (await owner.get('/api/files')).body.files as { id: number; name: string }[];
      assert.deepEqual(files.map((f) => f.name), ['guest-merge.txt']);
      assert.equal((await owner.get(`/api/files/${files[0]!.id}/content`)).raw.toString(), 'guest notes merge');
      const resumes = (await owner.get('/api/resumes')).body.resumes as { name: string }[];
      assert.deepEqual(resumes.map((r) => r.name), ['guest résumé merge']);

      assert.equal(await userExists(t, guestId), false, 'the guest account ended');
      for (const table of ['ps101_runs', 'chat_messages', 'coach_metrics', 'files', 'resumes', 'sessions'] as const) {
        const left = await t.ctx.db.selectFrom(table).select('user_id').where('user_id', '=', guestId).execute();
        assert.equal(left.length, 0, `${table} rows left with the guest`);
      }
      const stale = t.client();
      stale.cookies.set('mosaic_session', guestCookie);
      assert.equal((await stale.get('/api/auth/me')).status, 401, "the guest's session ended");
    });

    it("merge into an account with an empty workbook: the guest's answers become its workbook, as a new revision", async () => {
      const { guest } = await guestWithWork(t, 'empty');
      const { owner, email } = await account(t);
      assert.equal((await owner.put('/api/ps101', { revision: 0, currentStep: 2 })).status, 200);
      const before = (await owner.get('/api/ps101')).body;
      assert.deepEqual(before.answers, {});
      assert.equal((await guest.post('/api/auth/login', { email, password: PASSWORD, guestWork: 'merge' })).body.guestWork, 'merged');
      const after = (await owner.get('/api/ps101')).body;
      assert.deepEqual(after.answers, { '1.1': 'guest answer empty' });
      assert.equal(after.revision, before.revision + 1);
      // A device still on the old revision gets a conflict, not a silent overwrite.
      const stale = await owner.put('/api/ps101', { revision: before.revision, answers: { '1.2': 'late' } });
      assert.equal(stale.status, 409);
    });

    it('discard: the account is untouched and the guest and all its work are gone', async () => {
      const { guest, guestId } = await guestWithWork(t, 'discard');
      const { owner, email } = await account(t, { '1.1': 'kept' });
      const discarded = await guest.post('/api/auth/login', { email, password: PASSWORD, guestWork: 'discard' });
      assert.equal(discarded.status, 200);
      assert.equal(discarded.body.guestWork, 'discarded');
      assert.equal(await userExists(t, guestId), false);
      assert.equal((await t.ctx.db.selectFrom('files').select('id').where('user_id', '=', guestId).execute()).length, 0);
      assert.deepEqual((await owner.get('/api/ps101')).body.answers, { '1.1': 'kept' });
      assert.deepEqual((await owner.get('/api/files')).body.files, []);
      assert.equal((await owner.get('/api/chat/messages')).body.messages.length, 0);
    });

    it('a guest who made nothing is not asked, and still ends', async () => {
      const guest = t.client();
      const guestId = (await guest.post('/api/auth/guest')).body.user.id as number;
      const { email } = await account(t);
      const response = await guest.post('/api/auth/login', { email, password: PASSWORD });
      assert.equal(response.status, 200);
      assert.equal(response.body.guestWork, 'discarded');
      assert.equal(await userExists(t, guestId), false);
    });

    it('job matches of one role fold into the account’s: its status stays, notes join, history and résumés follow', async () => {
      const guest = t.client();
      const guestId = (await guest.post('/api/auth/guest')).body.user.id as number;
      const { owner, email, userId } = await account(t);
      const now = nowIso();
      const match = (user_id: number, role_id: string, status: string | null, notes: string | null) =>
        t.ctx.db
          .insertInto('job_matches')
          .values({ user_id, role_id, title: role_id, field: 'Design', score: 0.5, rank: 1, matched_skills: '[]', matched_values: '[]', current: false, status, notes, created_at: now, updated_at: now })
          .returning('id')
          .executeTakeFirstOrThrow();
      const mine = await match(userId, 'ux-designer', 'applied', 'Called Tuesday');
      const theirs = await match(guestId, 'ux-designer', 'saved', 'Found at the fair');
      const other = await match(guestId, 'teacher', 'saved', null);
      await t.ctx.db.insertInto('job_match_events').values({ job_match_id: theirs.id, from_status: null, to_status: 'saved', notes: null, created_at: now }).execute();
      const resume = await guest.post('/api/resumes', { name: 'For UX', content: 'Portfolio.', jobMatchId: theirs.id });
      assert.equal(resume.status, 201);

      assert.equal((await guest.post('/api/auth/login', { email, password: PASSWORD, guestWork: 'merge' })).status, 200);
      const rows = await t.ctx.db.selectFrom('job_matches').selectAll().where('user_id', '=', userId).orderBy('role_id').execute();
      assert.deepEqual(rows.map((r) => [r.role_id, r.status, r.notes]), [
        ['teacher', 'saved', null],
        ['ux-designer', 'applied', 'Called Tuesday\n\nFound at the fair'],
      ]);
      assert.equal(rows[0]!.id, other.id);
      assert.equal(rows[1]!.id, mine.id);
      const history = (await owner.get(`/api/jobs/matches/${mine.id}`)).body.match.history as { toStatus: string }[];
      assert.ok(history.some((event) => event.toStatus === 'saved'), "the guest's history followed");
      const movedResume = await t.ctx.db.selectFrom('resumes').select(['user_id', 'job_match_id']).where('id', '=', resume.body.resume.id).executeTakeFirstOrThrow();
      assert.deepEqual(movedResume, { user_id: userId, job_match_id: mine.id });
    });
  });

  describe(`a guest merge and the storage quota on ${backend}`, () => {
    it('refuses a merge past the account’s quota, changing nothing; discarding still works', async () => {
      const t = await createTestApp(backend, { maxStorageMbPerUser: 1 });
      try {
        const { owner, email } = await account(t);
        assert.equal((await uploadFile(owner, Buffer.alloc(600 * 1024, 'a'), 'account.txt')).status, 201);
        const guest = t.client();
        const guestId = (await guest.post('/api/auth/guest')).body.user.id as number;
        assert.equal((await uploadFile(guest, Buffer.alloc(600 * 1024, 'g'), 'guest.txt')).status, 201);

        const refused = await guest.post('/api/auth/login', { email, password: PASSWORD, guestWork: 'merge' });
        assert.equal(refused.status, 409);
        assert.equal(refused.body.error.code, 'merge_over_quota');
        assert.equal((await guest.get('/api/auth/me')).body.user.id, guestId, 'still the guest, work intact');
        assert.equal((await guest.get('/api/files')).body.files.length, 1);
        assert.equal((await owner.get('/api/files')).body.files.length, 1);
        const checks = await t.ctx.db.selectFrom('rate_limits').select('hits').where('bucket', 'like', 'password-checks-%').execute();
        assert.ok(checks.every((row) => row.hits === 0), 'a right password refused for the quota is not counted as a failure');

        const discarded = await guest.post('/api/auth/login', { email, password: PASSWORD, guestWork: 'discard' });
        assert.equal(discarded.status, 200);
        assert.equal(await userExists(t, guestId), false);
      } finally {
        await t.close();
      }
    });
  });
}
