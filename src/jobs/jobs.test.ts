import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { useTestApp } from '../testing/app.js';
import { BACKENDS } from '../testing/databases.js';
import { seedChatMessage, seedTextFile, seedWorkbookRun, setLiveAnswers, uploadFile } from '../testing/person-data.js';
import { HEALTH_BOUND_MS, measureResponsiveness } from '../testing/responsiveness.js';
import { CATALOGUE } from './catalogue.js';
import { explainMatch, missingSkills, profileOf, rankRoles, TOP_MATCHES } from './matching.js';
import { stem, tokenize } from './text.js';

describe('job catalogue and matching', () => {
  it('ships at least 80 roles with unique ids across many fields, each fully described', () => {
    assert.ok(CATALOGUE.length >= 80);
    assert.equal(new Set(CATALOGUE.map((r) => r.id)).size, CATALOGUE.length);
    assert.ok(new Set(CATALOGUE.map((r) => r.field)).size >= 8);
    for (const role of CATALOGUE) {
      assert.ok(role.skills.length >= 4 && role.values.length >= 3 && role.entryPaths.length >= 2, role.id);
    }
  });

  it('stems word forms onto one root and drops stopwords', () => {
    assert.deepEqual(['managed', 'manager', 'management', 'managing'].map(stem), ['manag', 'manag', 'manag', 'manag']);
    assert.deepEqual(tokenize('I was planning the Nurses’ schedules'), ['plan', 'nurs', 'schedul']);
  });

  it('ranks deterministically and explains each score with matched phrases', () => {
    const text = ['Years of woodworking, reading blueprints and power tools; I like working with my hands and building things.'];
    const first = rankRoles(profileOf(text));
    const second = rankRoles(profileOf(text));
    assert.deepEqual(first, second);
    assert.equal(first[0]!.role.title, 'Carpenter');
    assert.deepEqual(first[0]!.matchedSkills, ['woodworking', 'reading blueprints', 'power tools', 'working with hands']);
    assert.deepEqual(first[0]!.matchedValues, ['building things']);
    assert.ok(first.every((r, i) => i === 0 || first[i - 1]!.score >= r.score));
    assert.deepEqual(first.map((r) => r.rank), first.map((_, i) => i + 1));
  });

  it("ranks UX Designer first for someone who writes 'UX research' again and again, and says why in their words", () => {
    // The person from issue 24: UX Designer came 9th, below roles matching words said once.
    const text = [
      'What I enjoy most is UX research. I ran UX research for our team: interviews with customers, usability sessions.',
      'My best day was a week of UX research interviews; I want UX research to be my job.',
      'I am good at listening, writing reports and teaching colleagues. I value autonomy and curiosity.',
      'Again: UX research. Planning UX research studies and presenting what we learned.',
    ];
    const ranked = rankRoles(profileOf(text));
    assert.equal(ranked[0]!.role.title, 'UX Designer', ranked.map((r) => r.role.title).join(', '));
    assert.deepEqual(ranked[0]!.matchedWords.slice(0, 2).sort(), ['research', 'ux']);
    assert.equal(explainMatch(ranked[0]!.matchedWords, ranked[0]!.matchedValues), `Matches your words: ${ranked[0]!.matchedWords.join(', ')}`);
    // Saying a word once more counts: with "UX" only once, the same text ranks UX Designer lower.
    const once = rankRoles(profileOf([text.join(' ').replace(/UX /g, '').concat(' UX')]));
    assert.ok(once.findIndex((r) => r.role.id === 'ux-designer') > 0);
  });

  it('explains a score in words, naming values apart', () => {
    assert.equal(explainMatch(['research', 'interviews'], ['autonomy']), 'Matches your words: research, interviews; your value: autonomy');
    assert.equal(explainMatch(['sql'], []), 'Matches your word: sql');
    assert.equal(explainMatch([], ['curiosity', 'accuracy']), 'Matches your values: curiosity, accuracy');
  });

  it('tokenizes in time linear in the text: ten times the text takes about ten times as long', () => {
    const sample = 'UX research, interviews and usability testing with customers; ' + 'x'.repeat(50) + ' ';
    const time = (text: string) => {
      const start = performance.now();
      for (let i = 0; i < 3; i++) rankRoles(profileOf([text]));
      return performance.now() - start;
    };
    time(sample.repeat(100));
    const small = time(sample.repeat(2_000));
    const large = time(sample.repeat(20_000));
    assert.ok(large < small * 25, `${small.toFixed(1)} ms → ${large.toFixed(1)} ms`);
  });

  it('returns nothing for empty text and lists the skills a text lacks', () => {
    assert.deepEqual(rankRoles(profileOf([])), []);
    const nurse = CATALOGUE.find((r) => r.id === 'registered-nurse')!;
    assert.deepEqual(missingSkills(nurse, 'Patient care and teamwork on a busy ward; empathy.'), [
      'clinical assessment',
      'medication administration',
      'communication',
    ]);
  });
});

for (const backend of BACKENDS) {
  describe(`job matches on ${backend}`, () => {
    const t = useTestApp(backend);

    it('answers an empty result with reason no_input when the person has written nothing', async () => {
      const client = t.client();
      await client.register();
      const refreshed = await client.post('/api/jobs/matches/refresh');
      assert.equal(refreshed.status, 200);
      assert.deepEqual(refreshed.body, { matches: [], reason: 'no_input' });
      // An empty live workbook run counts as no input too.
      const other = t.client();
      const { user } = await other.register();
      await seedWorkbookRun(t.ctx.db, user.id, { '1.1': '   ' });
      assert.deepEqual((await other.post('/api/jobs/matches/refresh')).body, { matches: [], reason: 'no_input' });
      assert.deepEqual((await other.get('/api/jobs/matches')).body, { matches: [] });
    });

    it('answers no_match when the text matches no role', async () => {
      const client = t.client();
      const { user } = await client.register();
      await seedWorkbookRun(t.ctx.db, user.id, { '1.1': 'zzz qqq' });
      assert.deepEqual((await client.post('/api/jobs/matches/refresh')).body, { matches: [], reason: 'no_match' });
    });

    it('scores workbook answers, own chat messages and file text, storing the top 20 best first', async () => {
      const client = t.client();
      const { user } = await client.register();
      await seedWorkbookRun(t.ctx.db, user.id, { '1.1': 'I love patient care and helping people.' });
      // Archived runs and the coach's words are not the person's current input.
      await seedWorkbookRun(t.ctx.db, user.id, { '1.1': 'welding metal fabrication' }, { archived: true });
      await seedChatMessage(t.ctx.db, user.id, 'user', 'I did clinical assessment and medication administration.');
      await seedChatMessage(t.ctx.db, user.id, 'coach', 'Have you thought about cnc machining?');
      await uploadFile(client, Buffer.from('Skills: teamwork, empathy, communication.'), 'cv.txt');

      const refreshed = await client.post('/api/jobs/matches/refresh');
      assert.equal(refreshed.status, 200);
      assert.equal(refreshed.body.reason, null);
      const matches = refreshed.body.matches;
      assert.ok(matches.length > 0 && matches.length <= TOP_MATCHES);
      assert.equal(matches[0].title, 'Registered Nurse');
      assert.deepEqual(matches[0].matchedSkills, ['patient care', 'clinical assessment', 'medication administration', 'communication', 'teamwork', 'empathy']);
      assert.deepEqual(matches[0].matchedValues, ['helping people']);
      assert.ok(matches[0].entryPaths.length > 0);
      assert.deepEqual(matches.map((m: { rank: number }) => m.rank), matches.map((_: unknown, i: number) => i + 1));
      assert.ok(!matches.some((m: { roleId: string }) => m.roleId === 'welder' || m.roleId === 'machinist'));
      const listed = await client.get('/api/jobs/matches');
      assert.deepEqual(listed.body.matches, matches);
    });

    it('keeps at most 20 matches', async () => {
      const client = t.client();
      const { user } = await client.register();
      const everything = CATALOGUE.flatMap((r) => r.skills).join(', ');
      await seedWorkbookRun(t.ctx.db, user.id, { '1.1': everything });
      const refreshed = await client.post('/api/jobs/matches/refresh');
      assert.equal(refreshed.body.matches.length, TOP_MATCHES);
      const rows = await t.ctx.db.selectFrom('job_matches').select('id').where('user_id', '=', user.id).execute();
      assert.equal(rows.length, TOP_MATCHES);
    });

    it('records every status change as history; tracked roles survive a refresh that drops them', async () => {
      const client = t.client();
      const { user } = await client.register();
      await seedWorkbookRun(t.ctx.db, user.id, { '1.1': 'woodworking, power tools and reading blueprints' });
      const first = (await client.post('/api/jobs/matches/refresh')).body.matches;
      const carpenter = first.find((m: { roleId: string }) => m.roleId === 'carpenter');
      const untracked = first.find((m: { roleId: string }) => m.roleId === 'electrician');
      assert.ok(carpenter && untracked);

      const saved = await client.patch(`/api/jobs/matches/${carpenter.id}`, { status: 'saved', notes: 'Local firm hiring' });
      assert.equal(saved.status, 200);
      assert.equal(saved.body.match.status, 'saved');
      assert.equal(saved.body.match.notes, 'Local firm hiring');
      await client.patch(`/api/jobs/matches/${carpenter.id}`, { status: 'applied' });
      // Same status again only changes the notes: no history entry.
      await client.patch(`/api/jobs/matches/${carpenter.id}`, { status: 'applied', notes: 'Sent CV on Monday' });
      const detail = await client.get(`/api/jobs/matches/${carpenter.id}`);
      assert.equal(detail.status, 200);
      assert.equal(detail.body.match.notes, 'Sent CV on Monday');
      assert.deepEqual(
        detail.body.match.history.map((h: { fromStatus: string | null; toStatus: string; notes: string | null }) => [h.fromStatus, h.toStatus, h.notes]),
        [
          [null, 'saved', 'Local firm hiring'],
          ['saved', 'applied', null],
        ],
      );

      const refreshedSame = (await client.post('/api/jobs/matches/refresh')).body.matches;
      assert.equal(refreshedSame.find((m: { id: number }) => m.id === carpenter.id).status, 'applied');

      await setLiveAnswers(t.ctx.db, user.id, { '1.1': 'patient care, clinical assessment, empathy' });
      const after = await client.post('/api/jobs/matches/refresh');
      const kept = after.body.matches.find((m: { id: number }) => m.id === carpenter.id);
      assert.equal(kept.status, 'applied');
      assert.equal(kept.notes, 'Sent CV on Monday');
      assert.equal(kept.current, false);
      assert.equal(kept.rank, null);
      assert.equal(after.body.matches.at(-1).id, carpenter.id, 'dropped-out tracked roles come after current ones');
      assert.ok(!after.body.matches.some((m: { id: number }) => m.id === untracked.id));
      assert.equal((await client.get(`/api/jobs/matches/${untracked.id}`)).status, 404);
      assert.equal((await client.get(`/api/jobs/matches/${carpenter.id}`)).body.match.history.length, 2);
    });

    it('validates the status and the id', async () => {
      const client = t.client();
      const { user } = await client.register();
      await seedWorkbookRun(t.ctx.db, user.id, { '1.1': 'sql and spreadsheets' });
      const [match] = (await client.post('/api/jobs/matches/refresh')).body.matches;
      assert.equal((await client.patch(`/api/jobs/matches/${match.id}`, { status: 'hired' })).status, 400);
      assert.equal((await client.patch(`/api/jobs/matches/${match.id}`, { notes: 'x' })).status, 400);
      assert.equal((await client.patch(`/api/jobs/matches/${match.id}`, { status: 'saved', extra: 1 })).status, 400);
      assert.equal((await client.get('/api/jobs/matches/abc')).status, 404, 'a path id that is not one names nothing');
      assert.equal((await client.get('/api/jobs/matches/999999')).status, 404);
    });


    it('refreshes for a user with 200 long files without holding /health; the workbook still counts', async () => {
      const client = t.client();
      const { user } = await client.register();
      await seedWorkbookRun(t.ctx.db, user.id, { '1.1': 'woodworking and reading blueprints with power tools' });
      // 200 files of 200,000 characters (the extraction cap): 40 million characters in all.
      const filler = 'spreadsheets budgets forecasting payroll reconciliation ledger '.repeat(3200).slice(0, 200_000);
      for (let i = 0; i < 200; i++) await seedTextFile(t.ctx.db, user.id, filler);
      const run = await measureResponsiveness(t.app, () => client.post('/api/jobs/matches/refresh'));
      assert.equal(run.result.status, 200);
      const titles = run.result.body.matches.map((m: { title: string }) => m.title);
      assert.ok(titles.includes('Carpenter'), titles.join(', '));
      assert.ok(titles.includes('Accountant'), titles.join(', '));
      assert.ok(run.maxHealthMs < HEALTH_BOUND_MS, `/health took ${run.maxHealthMs.toFixed(0)} ms`);
      assert.ok(run.maxEventLoopDelayMs < HEALTH_BOUND_MS, `event loop blocked ${run.maxEventLoopDelayMs.toFixed(0)} ms`);
    });
  });
}
