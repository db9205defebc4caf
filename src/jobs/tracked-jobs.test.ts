import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nowIso } from '../db/values.js';
import { useTestApp, type TestApp, type TestClient } from '../testing/app.js';
import { BACKENDS } from '../testing/databases.js';
import { seedWorkbookRun } from '../testing/person-data.js';
import { JOB_FIELD_MAX, JOB_HISTORY_MAX_PER_USER, JOBS_MAX_PER_USER } from './tracked-jobs.js';

// Issue 24 item 3: the person's own jobs, on a board by status, with a dated history.

const FULL = {
  title: 'UX Researcher',
  company: 'Acme',
  url: 'https://jobs.example.org/123',
  location: 'Leeds (hybrid)',
  salary: '£40–45k',
  deadline: '2026-12-12',
  contact: 'Ana Silva, ana@example.org',
  notes: 'Referred by Sam.',
};

async function seedJobs(t: TestApp, userId: number, count: number): Promise<number[]> {
  const now = nowIso();
  const ids: number[] = [];
  for (let start = 0; start < count; start += 250) {
    const rows = Array.from({ length: Math.min(250, count - start) }, (_, i) => ({
      user_id: userId,
      title: `Seeded ${start + i}`,
      status: 'saved',
      version: 1,
      status_changed_at: now,
      created_at: now,
      updated_at: now,
    }));
    const inserted = await t.ctx.db.insertInto('tracked_jobs').values(rows).returning('id').execute();
    ids.push(...inserted.map((row) => row.id));
  }
  return ids;
}

async function create(client: TestClient, body: Record<string, unknown> = { title: 'Designer' }) {
  const response = await client.post('/api/jobs/tracked', body);
  assert.equal(response.status, 201, JSON.stringify(response.body));
  return response.body.job;
}

for (const backend of BACKENDS) {
  describe(`own jobs on ${backend}`, () => {
    const t = useTestApp(backend);

    it('creates a job with every field, lists it and reads it with its first history entry', async () => {
      const client = t.client();
      await client.register();
      const job = await create(client, { ...FULL, company: '  Acme  ', notes: '' });
      assert.equal(job.title, 'UX Researcher');
      assert.equal(job.company, 'Acme', 'trimmed');
      assert.equal(job.notes, null, 'blank is no value');
      assert.equal(job.status, 'saved');
      assert.equal(job.version, 1);
      assert.equal(job.deadline, '2026-12-12');
      assert.deepEqual(job.history.map((h: { fromStatus: unknown; toStatus: unknown }) => [h.fromStatus, h.toStatus]), [[null, 'saved']]);
      const interviewing = await create(client, { title: 'Researcher', status: 'interviewing' });
      assert.equal(interviewing.status, 'interviewing');

      const list = await client.get('/api/jobs/tracked');
      assert.equal(list.status, 200);
      assert.equal(list.body.limit, JOBS_MAX_PER_USER);
      assert.deepEqual(list.body.jobs.map((j: { id: number }) => j.id), [job.id, interviewing.id]);
      assert.equal(list.body.jobs[0].history, undefined, 'the list leaves the history out');
      const detail = await client.get(`/api/jobs/tracked/${job.id}`);
      assert.equal(detail.status, 200);
      assert.deepEqual(detail.body.job, job);
    });

    it('edits with the version it was read at; a stale edit is a 409 with the current job and changes nothing', async () => {
      const client = t.client();
      await client.register();
      const job = await create(client, FULL);
      const edited = await client.patch(`/api/jobs/tracked/${job.id}`, { version: 1, notes: 'Phone screen booked', location: null });
      assert.equal(edited.status, 200);
      assert.equal(edited.body.job.version, 2);
      assert.equal(edited.body.job.notes, 'Phone screen booked');
      assert.equal(edited.body.job.location, null);
      assert.equal(edited.body.job.company, 'Acme', 'fields not sent stay');

      // Another tab still holds version 1.
      const stale = await client.patch(`/api/jobs/tracked/${job.id}`, { version: 1, notes: 'Old tab' });
      assert.equal(stale.status, 409);
      assert.equal(stale.body.error.code, 'stale_job');
      assert.equal(stale.body.error.current.version, 2);
      assert.equal(stale.body.error.current.notes, 'Phone screen booked');
      assert.equal((await client.get(`/api/jobs/tracked/${job.id}`)).body.job.notes, 'Phone screen booked');

      // A move is not an edit: it leaves the version (and the fields) alone, so a form opened
      // before it still saves, and the move stays.
      const moved = await client.put(`/api/jobs/tracked/${job.id}/status`, { status: 'applied' });
      assert.equal(moved.body.job.version, 2);
      const after = await client.patch(`/api/jobs/tracked/${job.id}`, { version: 2, title: 'Senior UX Researcher' });
      assert.equal(after.status, 200);
      assert.equal(after.body.job.title, 'Senior UX Researcher');
      assert.equal(after.body.job.status, 'applied');
      assert.equal((await client.patch(`/api/jobs/tracked/${job.id}`, { version: 2, title: 'x' })).status, 409);
    });

    it('records every status change with its date, in order; the same status again adds nothing', async () => {
      const client = t.client();
      await client.register();
      const job = await create(client);
      for (const status of ['applied', 'interviewing', 'interviewing', 'offer', 'closed', 'saved']) {
        const moved = await client.put(`/api/jobs/tracked/${job.id}/status`, { status });
        assert.equal(moved.status, 200);
        assert.equal(moved.body.job.status, status);
      }
      const { job: detail } = (await client.get(`/api/jobs/tracked/${job.id}`)).body;
      assert.deepEqual(
        detail.history.map((h: { fromStatus: unknown; toStatus: unknown }) => [h.fromStatus, h.toStatus]),
        [
          [null, 'saved'],
          ['saved', 'applied'],
          ['applied', 'interviewing'],
          ['interviewing', 'offer'],
          ['offer', 'closed'],
          ['closed', 'saved'],
        ],
      );
      assert.ok(detail.history.every((h: { createdAt: string }) => !Number.isNaN(Date.parse(h.createdAt))));
      assert.equal(detail.statusChangedAt, detail.history.at(-1).createdAt);
      assert.equal(detail.version, 1, 'moves are not edits');
    });

    it('deletes a job with its history', async () => {
      const client = t.client();
      await client.register();
      const job = await create(client);
      await client.put(`/api/jobs/tracked/${job.id}/status`, { status: 'applied' });
      assert.equal((await client.delete(`/api/jobs/tracked/${job.id}`)).status, 204);
      assert.equal((await client.get(`/api/jobs/tracked/${job.id}`)).status, 404);
      assert.equal((await client.delete(`/api/jobs/tracked/${job.id}`)).status, 404);
      const events = await t.ctx.db.selectFrom('tracked_job_events').select('id').where('tracked_job_id', '=', job.id).execute();
      assert.equal(events.length, 0);
    });

    it("answers 404 for another person's job, whatever the operation, and changes nothing", async () => {
      const owner = t.client();
      await owner.register();
      const job = await create(owner, FULL);
      const stranger = t.client();
      await stranger.register();
      for (const response of [
        await stranger.get(`/api/jobs/tracked/${job.id}`),
        await stranger.patch(`/api/jobs/tracked/${job.id}`, { version: 1, title: 'Mine now' }),
        await stranger.put(`/api/jobs/tracked/${job.id}/status`, { status: 'closed' }),
        await stranger.delete(`/api/jobs/tracked/${job.id}`),
      ]) {
        assert.equal(response.status, 404);
        assert.equal(response.body.error.code, 'not_found');
      }
      assert.deepEqual((await stranger.get('/api/jobs/tracked')).body.jobs, []);
      assert.deepEqual((await owner.get(`/api/jobs/tracked/${job.id}`)).body.job, job);
      assert.equal((await t.client().get('/api/jobs/tracked')).status, 401, 'no session, no jobs');
    });

    it('refuses bad input with 400s that say what is wrong', async () => {
      const client = t.client();
      await client.register();
      const job = await create(client);
      const cases: [string, Record<string, unknown>, string?][] = [
        ['no title', { company: 'Acme' }],
        ['blank title', { title: '   ' }, 'invalid_input'],
        ['title too long', { title: 'x'.repeat(JOB_FIELD_MAX.title + 1) }],
        ['notes too long', { title: 'x', notes: 'n'.repeat(JOB_FIELD_MAX.notes + 1) }],
        ['url too long', { title: 'x', url: `https://example.org/${'a'.repeat(JOB_FIELD_MAX.url)}` }],
        ['javascript: link', { title: 'x', url: 'javascript:alert(1)' }, 'invalid_url'],
        ['data: link', { title: 'x', url: 'data:text/html,<script>alert(1)</script>' }, 'invalid_url'],
        ['not a link', { title: 'x', url: 'jobs.example.org' }, 'invalid_url'],
        ['deadline not a date', { title: 'x', deadline: '12/12/2026' }],
        ['deadline not in the calendar', { title: 'x', deadline: '2026-02-30' }, 'invalid_deadline'],
        ['unknown status', { title: 'x', status: 'hired' }],
        ['unknown field', { title: 'x', owner: 1 }],
      ];
      for (const [name, body, code] of cases) {
        const response = await client.post('/api/jobs/tracked', body);
        assert.equal(response.status, 400, name);
        if (code) assert.equal(response.body.error.code, code, name);
        assert.equal(typeof response.body.error.message, 'string', name);
      }
      assert.equal((await client.patch(`/api/jobs/tracked/${job.id}`, { title: 'no version' })).status, 400);
      assert.equal((await client.patch(`/api/jobs/tracked/${job.id}`, { version: 1, url: 'ftp://example.org' })).status, 400);
      assert.equal((await client.patch(`/api/jobs/tracked/${job.id}`, { version: 1, status: 'applied' })).status, 400, 'status moves by its own route');
      assert.equal((await client.put(`/api/jobs/tracked/${job.id}/status`, { status: 'rejected' })).status, 400);
      assert.equal((await client.get('/api/jobs/tracked/abc')).status, 404);
      assert.equal((await client.get('/api/jobs/tracked')).body.jobs.length, 1, 'nothing was created');
      assert.equal((await create(client, { title: 'Plain http', url: 'http://example.org/job' })).url, 'http://example.org/job');
    });

    it(`keeps at most ${JOBS_MAX_PER_USER} jobs per person: 413 too_many_jobs past it`, async () => {
      const client = t.client();
      const { user } = await client.register();
      await seedJobs(t, user.id, JOBS_MAX_PER_USER - 1);
      await create(client, { title: 'The last one that fits' });
      const over = await client.post('/api/jobs/tracked', { title: 'One too many' });
      assert.equal(over.status, 413);
      assert.equal(over.body.error.code, 'too_many_jobs');
      assert.equal(over.body.error.limit, JOBS_MAX_PER_USER);
      assert.match(over.body.error.message, /1,000 jobs/);
      const other = t.client();
      await other.register();
      await create(other, { title: 'Another person is not affected' });
    });

    it(`keeps at most ${JOB_HISTORY_MAX_PER_USER} status changes per person: 413 history_full past it`, async () => {
      const client = t.client();
      await client.register();
      const job = await create(client);
      const now = nowIso();
      for (let done = 1; done < JOB_HISTORY_MAX_PER_USER; done += 1000) {
        const rows = Array.from({ length: Math.min(1000, JOB_HISTORY_MAX_PER_USER - done) }, () => ({ tracked_job_id: job.id, from_status: 'saved', to_status: 'saved', created_at: now }));
        await t.ctx.db.insertInto('tracked_job_events').values(rows).execute();
      }
      const full = await client.put(`/api/jobs/tracked/${job.id}/status`, { status: 'applied' });
      assert.equal(full.status, 413);
      assert.equal(full.body.error.code, 'history_full');
      assert.equal((await client.get(`/api/jobs/tracked/${job.id}`)).body.job.status, 'saved', 'the move did not happen without its history');
    });

    it('adds a catalogue match to the board once, starting where its old tracking status maps', async () => {
      const client = t.client();
      const { user } = await client.register();
      await seedWorkbookRun(t.ctx.db, user.id, { '1.1': 'woodworking, power tools and reading blueprints' });
      const matches = (await client.post('/api/jobs/matches/refresh')).body.matches;
      const carpenter = matches.find((m: { roleId: string }) => m.roleId === 'carpenter');
      await client.patch(`/api/jobs/matches/${carpenter.id}`, { status: 'rejected', notes: 'Not this year' });
      const added = await client.post(`/api/jobs/matches/${carpenter.id}/track`);
      assert.equal(added.status, 201);
      assert.equal(added.body.job.title, 'Carpenter');
      assert.equal(added.body.job.roleId, 'carpenter');
      assert.equal(added.body.job.status, 'closed', 'rejected is closed on the board');
      assert.equal(added.body.job.notes, 'Not this year');
      const again = await client.post(`/api/jobs/matches/${carpenter.id}/track`);
      assert.equal(again.status, 200);
      assert.equal(again.body.job.id, added.body.job.id);
      // Two clicks at once still make one job.
      const electrician = matches.find((m: { roleId: string }) => m.roleId === 'electrician');
      const both = await Promise.all([1, 2].map(() => client.post(`/api/jobs/matches/${electrician.id}/track`)));
      assert.deepEqual(both.map((r) => r.status).sort(), [200, 201]);
      assert.equal(both[0]!.body.job.id, both[1]!.body.job.id);
      assert.equal((await client.get('/api/jobs/tracked')).body.jobs.length, 2);
      const stranger = t.client();
      await stranger.register();
      assert.equal((await stranger.post(`/api/jobs/matches/${carpenter.id}/track`)).status, 404);
    });

    it('exports the jobs with their history, and deletes them with the account', async () => {
      const client = t.client();
      const { password } = await client.register();
      const job = await create(client, FULL);
      await client.put(`/api/jobs/tracked/${job.id}/status`, { status: 'applied' });
      const exported = await client.get('/api/me/export');
      assert.equal(exported.status, 200);
      assert.equal(exported.body.trackedJobs.length, 1);
      const [entry] = exported.body.trackedJobs;
      assert.equal(entry.title, FULL.title);
      assert.equal(entry.url, FULL.url);
      assert.equal(entry.deadline, FULL.deadline);
      assert.deepEqual(entry.history.map((h: { toStatus: string }) => h.toStatus), ['saved', 'applied']);

      assert.equal((await client.delete('/api/me', { password })).status, 204);
      const left = await t.ctx.db.selectFrom('tracked_jobs').select('id').where('id', '=', job.id).execute();
      assert.equal(left.length, 0);
      const events = await t.ctx.db.selectFrom('tracked_job_events').select('id').where('tracked_job_id', '=', job.id).execute();
      assert.equal(events.length, 0);
    });

    it("moves a guest's jobs and their history to the account the guest logs in to", async () => {
      const owner = t.client();
      const { email, password } = await owner.register();
      const ownJob = await create(owner, { title: 'Account job' });
      const guest = t.client();
      assert.equal((await guest.post('/api/auth/guest')).status, 201);
      const guestJob = await create(guest, { title: 'Guest job', deadline: '2026-12-20' });
      await guest.put(`/api/jobs/tracked/${guestJob.id}/status`, { status: 'interviewing' });

      const asked = await guest.post('/api/auth/login', { email, password });
      assert.equal(asked.status, 409);
      assert.equal(asked.body.error.guestWork.trackedJobs, 1, 'a guest with only jobs is asked too');
      assert.equal((await guest.post('/api/auth/login', { email, password, guestWork: 'merge' })).status, 200);

      const jobs = (await guest.get('/api/jobs/tracked')).body.jobs;
      assert.deepEqual(jobs.map((j: { title: string }) => j.title), ['Account job', 'Guest job']);
      const moved = (await guest.get(`/api/jobs/tracked/${guestJob.id}`)).body.job;
      assert.equal(moved.status, 'interviewing');
      assert.deepEqual(moved.history.map((h: { toStatus: string }) => h.toStatus), ['saved', 'interviewing']);
      assert.equal((await owner.get(`/api/jobs/tracked/${ownJob.id}`)).status, 200);
    });

    it('a guest who discards leaves no jobs behind', async () => {
      const owner = t.client();
      const { email, password } = await owner.register();
      const guest = t.client();
      const { body } = await guest.post('/api/auth/guest');
      await create(guest, { title: 'Guest job' });
      assert.equal((await guest.post('/api/auth/login', { email, password, guestWork: 'discard' })).status, 200);
      assert.deepEqual((await guest.get('/api/jobs/tracked')).body.jobs, []);
      const left = await t.ctx.db.selectFrom('tracked_jobs').select('id').where('user_id', '=', body.user.id).execute();
      assert.equal(left.length, 0);
    });
  });
}
