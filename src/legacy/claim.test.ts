import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { purgeExpired } from '../maintenance/purge.js';
import { createTestApp, useTestApp, type TestApp } from '../testing/app.js';
import { BACKENDS } from '../testing/databases.js';
import { damagedLegacyData, SESSIONS, writeLegacySource, type LegacySourceDatabase } from '../testing/legacy-fixtures.js';
import { runImport } from '../testing/legacy-import.js';
import { status } from './store.js';

const EXPECTED_ANN = { workbookResponses: 3, chatExchanges: 4, jobMatches: 3, resumes: 2, files: 4 };

for (const backend of BACKENDS) {
  describe(`claiming legacy work on ${backend}`, () => {
    const t = useTestApp(backend);
    let source: LegacySourceDatabase;
    let fixture: ReturnType<typeof damagedLegacyData>;

    before(async () => {
      fixture = damagedLegacyData('sqlite');
      source = await writeLegacySource('sqlite', fixture.rows);
      await runImport(source.location, fixture.uploads, t.ctx.db);
    });
    after(async () => {
      await source?.drop();
      fixture?.cleanup();
    });

    it('refuses a malformed id (400), no session (401), an unknown id (404)', async () => {
      const anonymous = t.client();
      assert.equal((await anonymous.post('/api/legacy/claim', { sessionId: SESSIONS.ann })).status, 401);
      assert.equal((await anonymous.post('/api/legacy/preview', { sessionId: SESSIONS.ann })).status, 401);
      const guest = t.client();
      assert.equal((await guest.post('/api/auth/guest')).status, 201);
      for (const body of [{ sessionId: 'abc' }, { sessionId: `${SESSIONS.ann}0` }, { sessionId: 'zz'.repeat(16) }, {}, { sessionId: SESSIONS.ann, extra: 1 }]) {
        const refused = await guest.post('/api/legacy/claim', body);
        assert.equal(refused.status, 400, JSON.stringify(body));
        assert.equal(refused.body.error.code, 'invalid_input');
      }
      const unknown = await guest.post('/api/legacy/claim', { sessionId: '1234567890abcdef1234567890abcdef' });
      assert.equal(unknown.status, 404);
      // A session with no work at all was never kept: it answers as unknown.
      assert.equal((await guest.post('/api/legacy/preview', { sessionId: SESSIONS.empty })).status, 404);
    });

    it('previews, then moves everything into the caller’s account once', async () => {
      const owner = await t.registeredClient();
      const preview = await owner.post('/api/legacy/preview', { sessionId: SESSIONS.ann.toUpperCase() });
      assert.equal(preview.status, 200, JSON.stringify(preview.body));
      assert.deepEqual(preview.body.found, EXPECTED_ANN);

      const claim = await owner.post('/api/legacy/claim', { sessionId: SESSIONS.ann });
      assert.equal(claim.status, 200, JSON.stringify(claim.body));
      assert.deepEqual(claim.body.claimed, EXPECTED_ANN);

      // Chat: each exchange as the person's message then the coach's reply, in order, with time and metrics.
      const page = await owner.get('/api/chat/messages?limit=50');
      assert.equal(page.status, 200);
      const messages = [...page.body.messages].reverse();
      assert.deepEqual(
        messages.slice(0, 4).map((m: { role: string; content: string }) => [m.role, m.content]),
        [
          ['user', 'I feel stuck at work'],
          ['coach', 'Let us name the gap first.'],
          ['user', 'I want to help people'],
          ['coach', 'What would helping look like?'],
        ],
      );
      assert.equal(messages[0].createdAt, '2024-01-02T03:04:05.000Z');
      assert.equal(messages[2].createdAt, '2024-01-02T03:05:06.789Z');
      assert.equal(messages[1].provider, 'legacy');
      assert.ok(messages.some((m: { content: string }) => m.content === 'Caf\uFFFD ok'), 'the repaired copy of the invalid UTF-8 prompt');
      const metrics = await owner.get('/api/chat/metrics');
      assert.ok(metrics.body.history.some((p: { clarity: number; action: number; momentum: number }) => p.clarity === 65 && p.action === 42 && p.momentum === 33));

      // The workbook: an imported past run, each response under its step and position.
      const runs = await owner.get('/api/ps101/runs');
      const imported = runs.body.runs.find((r: { flowVersion: number }) => r.flowVersion === 0);
      assert.ok(imported, JSON.stringify(runs.body));
      const run = await owner.get(`/api/ps101/runs/${imported.id}`);
      assert.deepEqual(run.body.run.answers, { '1.1': 'I want a job with more meaning', '1.2': 'Today I manage spreadsheets', '2.1': 'My manager is supportive' });
      assert.equal(run.body.run.startedAt, '2024-01-01T12:00:00.000Z');

      // Job matches with status, notes and time from extras.
      const matches = await owner.get('/api/jobs/matches');
      const strategist = matches.body.matches.find((m: { title: string }) => m.title === 'Delta Strategist');
      assert.equal(strategist.field, 'Acme');
      assert.equal(strategist.status, 'applied');
      assert.equal(strategist.notes, 'Sent my CV');
      assert.equal(strategist.score, 0.87);
      assert.deepEqual(strategist.matchedSkills, ['strategy', 'writing']);
      assert.equal(strategist.updatedAt, '2024-02-01T10:00:00.000Z');
      const detail = await owner.get(`/api/jobs/matches/${strategist.id}`);
      assert.deepEqual(detail.body.match.history.map((h: { toStatus: string; createdAt: string }) => [h.toStatus, h.createdAt]), [['applied', '2024-02-01T10:00:00.000Z']]);

      // Résumés with feedback; the unreadable feedback kept as text.
      const resumes = await owner.get('/api/resumes');
      assert.deepEqual(resumes.body.resumes.map((r: { name: string }) => r.name).sort(), ['Base', 'Second']);
      const feedback = await t.ctx.db.selectFrom('resume_feedback').innerJoin('resumes', 'resumes.id', 'resume_feedback.resume_id').select(['resumes.name', 'resume_feedback.feedback']).where('resumes.user_id', '=', claim.body.claimed ? (await owner.get('/api/auth/me')).body.user.id : 0).execute();
      assert.deepEqual(Object.fromEntries(feedback.map((f) => [f.name, JSON.parse(f.feedback)])), {
        Base: { suggestions: ['Add numbers'] },
        Second: { legacyText: 'plain words, not JSON' },
      });

      // Files with their bytes, original names and times, typed by their content.
      const files = await owner.get('/api/files');
      const byName = Object.fromEntries(files.body.files.map((f: { name: string }) => [f.name, f]));
      assert.deepEqual(Object.keys(byName).sort(), ['blob.bin', 'cv.txt', 'notes.md', 'short.txt']);
      assert.equal(byName['cv.txt'].contentType, 'text/plain; charset=utf-8');
      assert.equal(byName['cv.txt'].createdAt, '2024-01-01T12:30:00.000Z');
      assert.equal(byName['notes.md'].contentType, 'text/markdown; charset=utf-8');
      assert.equal(byName['blob.bin'].contentType, 'application/octet-stream');
      const cv = await owner.get(`/api/files/${byName['cv.txt'].id}/content`);
      assert.equal(cv.raw.toString('utf8'), 'Curriculum vitae of Ann\nExperience: ten years.\n');

      // Once only: again, by the owner or by anyone else, it is gone and says nothing more.
      const again = await owner.post('/api/legacy/claim', { sessionId: SESSIONS.ann });
      const other = await t.registeredClient();
      const byOther = await other.post('/api/legacy/claim', { sessionId: SESSIONS.ann });
      const unknown = await other.post('/api/legacy/claim', { sessionId: '1234567890abcdef1234567890abcdef' });
      assert.equal(again.status, 404);
      assert.equal(byOther.status, 404);
      assert.deepEqual(byOther.body, unknown.body);
      assert.equal((await other.post('/api/legacy/preview', { sessionId: SESSIONS.ann })).status, 404);
      assert.equal((await other.get('/api/chat/messages')).body.messages.length, 0);
      const left = await t.ctx.db.selectFrom('legacy_items').select('id').where('session_hash', 'in', t.ctx.db.selectFrom('legacy_sessions').select('session_hash').where('claimed_at', 'is not', null)).execute();
      assert.equal(left.length, 0, 'claimed work leaves nothing behind');
    });

    it('a guest claims an orphan’s work; a re-run of the import never brings claimed work back', async () => {
      const guest = t.client();
      await guest.post('/api/auth/guest');
      const claim = await guest.post('/api/legacy/claim', { sessionId: SESSIONS.orphan });
      assert.equal(claim.status, 200);
      assert.deepEqual(claim.body.claimed, { workbookResponses: 0, chatExchanges: 1, jobMatches: 0, resumes: 0, files: 0 });
      const beforeRerun = await t.ctx.db.selectFrom('legacy_items').select('legacy_id').execute();
      const rerun = await runImport(source.location, fixture.uploads, t.ctx.db);
      assert.equal(rerun.counts.wimd_outputs.imported, 0);
      const afterRerun = await t.ctx.db.selectFrom('legacy_items').select('legacy_id').execute();
      assert.deepEqual(afterRerun, beforeRerun);
      assert.equal((await guest.post('/api/legacy/claim', { sessionId: SESSIONS.orphan })).status, 404);
    });

    it('--status counts what is unclaimed, and the purge removes it after LEGACY_CLAIM_DAYS', async () => {
      const s = await status(t.ctx.db);
      assert.deepEqual(s.sessions, { unclaimed: 1, claimed: 2, removed: 0 });
      assert.deepEqual(s.unclaimedItems, [{ kind: 'chat', count: 1 }]);
      assert.equal(s.accounts, 5);
      const soon = await purgeExpired(t.ctx, new Date(Date.now() + 364 * 86_400_000));
      assert.equal(soon.unclaimedLegacyWork, 0);
      const later = await purgeExpired(t.ctx, new Date(Date.now() + 366 * 86_400_000));
      assert.equal(later.unclaimedLegacyWork, 1);
      const afterPurge = await status(t.ctx.db);
      assert.deepEqual(afterPurge.sessions, { unclaimed: 0, claimed: 2, removed: 1 });
      assert.deepEqual(afterPurge.unclaimedItems, []);
      const guest = t.client();
      await guest.post('/api/auth/guest');
      assert.equal((await guest.post('/api/legacy/claim', { sessionId: SESSIONS.badJson })).status, 404);
      // A re-run does not bring removed work back either.
      await runImport(source.location, fixture.uploads, t.ctx.db);
      assert.deepEqual((await status(t.ctx.db)).unclaimedItems, []);
    });
  });

  describe(`claim rate limit on ${backend}`, () => {
    let app: TestApp;
    before(async () => {
      const probe = await createTestApp(backend);
      const limits = { ...probe.ctx.config.rateLimits, legacyClaimsPerHour: 2 };
      await probe.close();
      app = await createTestApp(backend, { rateLimits: limits });
    });
    after(async () => app?.close());

    it('counts claims and previews per user like the other creation routes', async () => {
      const client = await app.registeredClient();
      const id = '1234567890abcdef1234567890abcdef';
      assert.equal((await client.post('/api/legacy/preview', { sessionId: id })).status, 404);
      assert.equal((await client.post('/api/legacy/claim', { sessionId: id })).status, 404);
      const limited = await client.post('/api/legacy/claim', { sessionId: id });
      assert.equal(limited.status, 429);
      assert.ok(limited.headers['retry-after']);
    });
  });
}
