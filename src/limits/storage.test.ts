// Storage one person can use is bounded: every write route either refuses past a cap (413 with
// a clear code, or 429 for a rate) or keeps only the newest rows of a log. Rows near a cap are
// seeded directly (thousands of requests would test the machine, not the rule), then the real
// route is called.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CONVERSATION_MAX_MESSAGES } from '../chat/service.js';
import { HISTORY_MAX_PER_USER } from '../jobs/service.js';
import { FEEDBACK_KEPT_PER_RESUME, MAX_RESUMES_PER_USER } from '../resumes/service.js';
import { UNLIMITED, useTestApp, type TestClient } from '../testing/app.js';
import { BACKENDS } from '../testing/databases.js';

const PASSWORD = 'correct horse battery';
const NOW = () => new Date().toISOString();

/** Inserts rows in slices, so one statement stays under SQLite's and PostgreSQL's parameter caps. */
async function insertMany<T>(rows: T[], insert: (slice: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < rows.length; i += 500) {
    await insert(rows.slice(i, i + 500));
    // SQLite's inserts run synchronously: let the app's loop (the same as this test's) turn.
    await new Promise((resolve) => setImmediate(resolve));
  }
}

for (const backend of BACKENDS) {
  describe(`storage one person can use, on ${backend}`, () => {
    const t = useTestApp(backend, {
      maxSessionsPerUser: 3,
      maxWorkbookRunsPerUser: 2,
      rateLimits: { ...UNLIMITED, workbookRestartsPerHour: 4 },
    });

    async function person(): Promise<{ client: TestClient; userId: number; email: string }> {
      const client = t.client();
      const { user, email } = await client.register();
      return { client, userId: user.id, email };
    }

    it('sessions: a login beyond MAX_SESSIONS_PER_USER ends the oldest session, and only that one', async () => {
      const { client: first, email, userId } = await person();
      const logins: TestClient[] = [first];
      for (let i = 0; i < 4; i++) {
        const client = t.client();
        assert.equal((await client.post('/api/auth/login', { email, password: PASSWORD })).status, 200);
        logins.push(client);
      }
      const statuses = await Promise.all(logins.map(async (client) => (await client.get('/api/auth/me')).status));
      assert.deepEqual(statuses, [401, 401, 200, 200, 200], 'the two oldest of five ended, the newest three kept');
      const rows = await t.ctx.db.selectFrom('sessions').select('id').where('user_id', '=', userId).execute();
      assert.equal(rows.length, 3);
      // Another person's sessions are not counted or touched.
      const other = await person();
      assert.equal((await other.client.get('/api/auth/me')).status, 200);
      assert.equal((await logins[4]!.get('/api/auth/me')).status, 200);
    });

    it('workbook runs: archived runs capped (413 too_many_runs), room made by deleting one, restarts rate limited (429)', async () => {
      const { client, userId } = await person();
      const save = async (text: string) => {
        const state = (await client.get('/api/ps101')).body;
        assert.equal((await client.put('/api/ps101', { revision: state.revision, answers: { '1.1': text } })).status, 200);
      };
      await save('first run');
      assert.equal((await client.post('/api/ps101/restart')).status, 201);
      await save('second run');
      assert.equal((await client.post('/api/ps101/restart')).status, 201);
      await save('third run, live');
      const refused = await client.post('/api/ps101/restart');
      assert.equal(refused.status, 413);
      assert.equal(refused.body.error.code, 'too_many_runs');
      assert.equal(refused.body.error.limit, 2);
      assert.equal((await client.get('/api/ps101')).body.answers['1.1'], 'third run, live', 'the refused restart archived nothing');

      const runs: { id: number; archivedAt: string | null }[] = (await client.get('/api/ps101/runs')).body.runs;
      assert.equal(runs.length, 3);
      const live = runs.find((run) => run.archivedAt === null)!;
      const oldest = runs.at(-1)!;
      const stranger = await person();
      assert.equal((await stranger.client.delete(`/api/ps101/runs/${oldest.id}`)).status, 404, "another person's run is not found");
      const liveDelete = await client.delete(`/api/ps101/runs/${live.id}`);
      assert.equal(liveDelete.status, 409);
      assert.equal(liveDelete.body.error.code, 'run_is_live');
      assert.equal((await client.delete(`/api/ps101/runs/${oldest.id}`)).status, 204);
      assert.equal((await client.get(`/api/ps101/runs/${oldest.id}`)).status, 404);
      assert.equal((await client.post('/api/ps101/restart')).status, 201, 'room was made');

      // Four restarts counted this hour (the refused one too: the limit is checked first).
      const limited = await client.post('/api/ps101/restart');
      assert.equal(limited.status, 429);
      assert.equal(limited.body.error.code, 'rate_limited');
      assert.ok(Number(limited.headers['retry-after']) > 0);
      const archived = await t.ctx.db.selectFrom('ps101_runs').select('id').where('user_id', '=', userId).where('archived_at', 'is not', null).execute();
      assert.equal(archived.length, 2);
    });

    it(`chat: a conversation holds at most ${CONVERSATION_MAX_MESSAGES} messages (413 conversation_full, nothing deleted), cleared only by the person`, async () => {
      const { client, userId } = await person();
      const seeded = Array.from({ length: CONVERSATION_MAX_MESSAGES - 3 }, (_, i) => ({
        user_id: userId,
        role: i % 2 === 0 ? ('user' as const) : ('coach' as const),
        content: `old ${i}`,
        provider: i % 2 === 0 ? null : 'offline',
        created_at: NOW(),
      }));
      await insertMany(seeded, (slice) => t.ctx.db.insertInto('chat_messages').values(slice).execute());
      const count = async () =>
        Number((await t.ctx.db.selectFrom('chat_messages').select((eb) => eb.fn.countAll().as('n')).where('user_id', '=', userId).executeTakeFirstOrThrow()).n);

      // Room for one more exchange (message and reply), then the conversation is full.
      assert.equal((await client.post('/api/chat/messages', { content: 'One more question.' })).status, 201);
      assert.equal(await count(), CONVERSATION_MAX_MESSAGES - 1);
      const refused = await client.post('/api/chat/messages', { content: 'And another.' });
      assert.equal(refused.status, 413);
      assert.equal(refused.body.error.code, 'conversation_full');
      assert.equal(refused.body.error.maxMessages, CONVERSATION_MAX_MESSAGES);
      assert.equal(await count(), CONVERSATION_MAX_MESSAGES - 1, 'nothing stored, nothing deleted');
      const first = await t.ctx.db.selectFrom('chat_messages').select('content').where('user_id', '=', userId).orderBy('id').executeTakeFirstOrThrow();
      assert.equal(first.content, 'old 0', 'the oldest message is still there');

      // Another person's conversation is not touched by this one clearing theirs.
      const other = await person();
      assert.equal((await other.client.post('/api/chat/messages', { content: 'Hello' })).status, 201);
      assert.equal((await client.delete('/api/chat/messages')).status, 204);
      assert.equal(await count(), 0);
      assert.equal((await other.client.get('/api/chat/messages')).body.messages.length, 2);
      const metrics = await t.ctx.db.selectFrom('coach_metrics').select('id').where('user_id', '=', userId).execute();
      assert.deepEqual(metrics, [], 'the metrics of the cleared replies went with them');
      assert.equal((await client.post('/api/chat/messages', { content: 'A fresh start.' })).status, 201);
    });

    it(`match history: a person's status changes across their matches stop at ${HISTORY_MAX_PER_USER} (413 history_full, nothing deleted)`, async () => {
      const { client, userId } = await person();
      await client.put('/api/ps101', { revision: 0, answers: { '1.1': 'carpentry woodwork building furniture with my hands, nursing care' } });
      const matches: { id: number }[] = (await client.post('/api/jobs/matches/refresh')).body.matches;
      assert.ok(matches.length >= 2);
      const [a, b] = [matches[0]!.id, matches[1]!.id];
      const events = Array.from({ length: HISTORY_MAX_PER_USER - 1 }, (_, i) => ({
        job_match_id: i % 2 === 0 ? a : b,
        from_status: null,
        to_status: 'saved' as const,
        notes: `old note ${i}`,
        created_at: NOW(),
      }));
      await insertMany(events, (slice) => t.ctx.db.insertInto('job_match_events').values(slice).execute());
      const changed = await client.patch(`/api/jobs/matches/${b}`, { status: 'applied', notes: 'Sent the letter' });
      assert.equal(changed.status, 200);
      assert.equal(changed.body.match.history.at(-1).notes, 'Sent the letter');
      const before = (await client.get(`/api/jobs/matches/${a}`)).body.match.status;
      const refused = await client.patch(`/api/jobs/matches/${a}`, { status: 'applied', notes: 'One too many' });
      assert.equal(refused.status, 413);
      assert.equal(refused.body.error.code, 'history_full');
      const kept = await t.ctx.db
        .selectFrom('job_match_events')
        .innerJoin('job_matches', 'job_matches.id', 'job_match_events.job_match_id')
        .select('job_match_events.notes')
        .where('job_matches.user_id', '=', userId)
        .orderBy('job_match_events.id')
        .execute();
      assert.equal(kept.length, HISTORY_MAX_PER_USER);
      assert.equal(kept[0]!.notes, 'old note 0', 'the oldest change is still there');
      assert.equal((await client.get(`/api/jobs/matches/${a}`)).body.match.status, before, 'the refused change changed nothing');
      // Re-sending the same status changes the notes in place: nothing is added, nothing refused.
      assert.equal((await client.patch(`/api/jobs/matches/${b}`, { status: 'applied', notes: 'x'.repeat(5000) })).status, 200);
    });

    it(`résumés: at most ${MAX_RESUMES_PER_USER} (413 too_many_resumes, nothing stored), and each keeps its newest ${FEEDBACK_KEPT_PER_RESUME} reviews`, async () => {
      const { client, userId } = await person();
      const resumes = Array.from({ length: MAX_RESUMES_PER_USER - 1 }, (_, i) => ({
        user_id: userId,
        name: `seeded ${i}`,
        content: 'Carpenter, ten years.',
        file_id: null,
        job_match_id: null,
        created_at: NOW(),
        updated_at: NOW(),
      }));
      await insertMany(resumes, (slice) => t.ctx.db.insertInto('resumes').values(slice).execute());
      // Two at once for the last place: exactly one gets it.
      const racing = await Promise.all(
        [1, 2].map((n) => client.post('/api/resumes', { name: `racing ${n}`, content: 'Nurse, five years of ward experience.' })),
      );
      assert.deepEqual(racing.map((r) => r.status).sort(), [201, 413]);
      const refused = racing.find((r) => r.status === 413)!;
      assert.equal(refused.body.error.code, 'too_many_resumes');
      assert.equal(refused.body.error.limit, MAX_RESUMES_PER_USER);
      const list: { id: number }[] = (await client.get('/api/resumes')).body.resumes;
      assert.equal(list.length, MAX_RESUMES_PER_USER);

      const reviewed = racing.find((r) => r.status === 201)!.body.resume.id as number;
      const feedback = Array.from({ length: FEEDBACK_KEPT_PER_RESUME }, () => ({ resume_id: reviewed, feedback: '{"old":true}', created_at: NOW() }));
      await t.ctx.db.insertInto('resume_feedback').values(feedback).execute();
      const review = await client.post(`/api/resumes/${reviewed}/feedback`);
      assert.equal(review.status, 201);
      const rows = await t.ctx.db.selectFrom('resume_feedback').select(['id', 'feedback']).where('resume_id', '=', reviewed).orderBy('id').execute();
      assert.equal(rows.length, FEEDBACK_KEPT_PER_RESUME);
      assert.equal(rows.filter((row) => row.feedback === '{"old":true}').length, FEEDBACK_KEPT_PER_RESUME - 1, 'the oldest review went');

      assert.equal((await client.delete(`/api/resumes/${list.at(-1)!.id}`)).status, 204);
      assert.equal((await client.post('/api/resumes', { name: 'after deleting one', content: 'Teacher.' })).status, 201, 'room was made');
    });
  });
}
