import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { useTestApp } from '../testing/app.js';
import { BACKENDS } from '../testing/databases.js';
import { PROMPT_COUNT, PS101_FLOW } from './flow.js';
import { ANSWER_MAX_CHARS, updateWorkbook } from './service.js';

for (const backend of BACKENDS) {
  describe(`ps101 workbook on ${backend}`, () => {
    const t = useTestApp(backend);

    it('serves the flow without a login', async () => {
      const response = await t.client().get('/api/ps101/flow');
      assert.equal(response.status, 200);
      assert.equal(response.body.version, PS101_FLOW.version);
      assert.equal(response.body.steps.length, 10);
      assert.equal(response.body.steps[0].prompts[0].key, '1.1');
    });

    it('needs a session for the workbook itself', async () => {
      const response = await t.client().get('/api/ps101');
      assert.equal(response.status, 401);
      assert.equal(response.body.error.code, 'unauthenticated');
    });

    it('shows an empty workbook to someone who never started, without creating a run', async () => {
      const client = await t.registeredClient();
      const response = await client.get('/api/ps101');
      assert.equal(response.status, 200);
      assert.deepEqual(response.body, {
        runId: null,
        flowVersion: PS101_FLOW.version,
        currentStep: 1,
        answers: {},
        completedAt: null,
        revision: 0,
        startedAt: null,
        updatedAt: null,
      });
      assert.deepEqual((await client.get('/api/ps101/runs')).body, { runs: [] });
    });

    it('merges answers, moves the step, removes an answer sent empty, and bumps the revision', async () => {
      const client = await t.registeredClient();
      const first = await client.put('/api/ps101', { revision: 0, answers: { '1.1': 'I feel stuck', '1.2': 'Sales' } });
      assert.equal(first.status, 200);
      assert.equal(first.body.revision, 1);
      assert.deepEqual(first.body.answers, { '1.1': 'I feel stuck', '1.2': 'Sales' });
      const second = await client.put('/api/ps101', { revision: 1, currentStep: 2, answers: { '1.2': '', '2.1': 'Long hours' } });
      assert.equal(second.status, 200);
      assert.equal(second.body.revision, 2);
      assert.equal(second.body.currentStep, 2);
      assert.deepEqual(second.body.answers, { '1.1': 'I feel stuck', '2.1': 'Long hours' });
      assert.deepEqual((await client.get('/api/ps101')).body, second.body);
    });

    it('refuses a stale revision (two tabs) with the current state, overwriting nothing', async () => {
      const tabA = await t.registeredClient();
      const tabB = t.client();
      tabB.cookies.set('mosaic_session', tabA.cookies.get('mosaic_session')!);
      const loaded = (await tabA.get('/api/ps101')).body;
      const saved = await tabA.put('/api/ps101', { revision: loaded.revision, answers: { '1.1': 'from tab A' } });
      assert.equal(saved.status, 200);
      const stale = await tabB.put('/api/ps101', { revision: loaded.revision, answers: { '1.1': 'from tab B' }, currentStep: 3 });
      assert.equal(stale.status, 409);
      assert.equal(stale.body.error.code, 'revision_conflict');
      assert.deepEqual(stale.body.error.current, saved.body);
      assert.deepEqual((await tabA.get('/api/ps101')).body, saved.body);
      // Tab B merges on top of what it was shown, then saves.
      const retried = await tabB.put('/api/ps101', { revision: stale.body.error.current.revision, currentStep: 3 });
      assert.equal(retried.status, 200);
      assert.equal(retried.body.answers['1.1'], 'from tab A');
    });

    it('lets exactly one of many simultaneous saves at the same revision win', async () => {
      const client = await t.registeredClient();
      const userId = (await client.get('/api/auth/me')).body.user.id;
      // Several first saves at once race to create the run; several later ones to update it.
      for (const revision of [0, 1]) {
        const results = await Promise.allSettled(
          Array.from({ length: 6 }, (_, i) => updateWorkbook(t.ctx.db, userId, { revision, answers: { '1.1': `save ${i}` } })),
        );
        const won = results.filter((r) => r.status === 'fulfilled');
        assert.equal(won.length, 1, `one winner at revision ${revision}`);
        for (const lost of results.filter((r) => r.status === 'rejected')) {
          assert.equal((lost as PromiseRejectedResult).reason.code, 'revision_conflict');
        }
        const state = (await client.get('/api/ps101')).body;
        assert.equal(state.revision, revision + 1);
        assert.equal(state.answers['1.1'], (won[0] as PromiseFulfilledResult<{ answers: Record<string, string> }>).value.answers['1.1']);
      }
      assert.equal((await client.get('/api/ps101/runs')).body.runs.length, 1);
    });

    it('completes only from step 10, sets completedAt once and keeps it on later edits', async () => {
      const client = await t.registeredClient();
      const early = await client.put('/api/ps101', { revision: 0, currentStep: 9, complete: true });
      assert.equal(early.status, 400);
      assert.equal(early.body.error.code, 'not_at_last_step');
      assert.equal((await client.get('/api/ps101')).body.revision, 0);
      const done = await client.put('/api/ps101', { revision: 0, currentStep: 10, answers: { '10.1': 'A lot' }, complete: true });
      assert.equal(done.status, 200);
      assert.ok(Date.parse(done.body.completedAt) > 0);
      const edited = await client.put('/api/ps101', { revision: 1, answers: { '10.2': 'Writing it down' }, complete: true });
      assert.equal(edited.status, 200);
      assert.equal(edited.body.completedAt, done.body.completedAt);
    });

    it('restarts: archives the run, lists it, and starts a new one a stale tab cannot write into', async () => {
      const client = await t.registeredClient();
      const saved = await client.put('/api/ps101', { revision: 0, currentStep: 4, answers: { '4.1': '6 out of 10' } });
      const restarted = await client.post('/api/ps101/restart');
      assert.equal(restarted.status, 201);
      assert.equal(restarted.body.currentStep, 1);
      assert.deepEqual(restarted.body.answers, {});
      assert.ok(restarted.body.revision > saved.body.revision);
      assert.notEqual(restarted.body.runId, saved.body.runId);
      const stale = await client.put('/api/ps101', { revision: saved.body.revision, answers: { '4.2': 'old tab' } });
      assert.equal(stale.status, 409);

      const runs = (await client.get('/api/ps101/runs')).body.runs;
      assert.equal(runs.length, 2);
      assert.equal(runs[0].id, restarted.body.runId);
      assert.equal(runs[0].archivedAt, null);
      assert.equal(runs[1].id, saved.body.runId);
      assert.ok(runs[1].archivedAt);
      assert.equal(runs[1].answeredCount, 1);
      const archived = await client.get(`/api/ps101/runs/${saved.body.runId}`);
      assert.equal(archived.status, 200);
      assert.deepEqual(archived.body.run.answers, { '4.1': '6 out of 10' });
    });

    it('keeps each user to their own workbook', async () => {
      const alice = await t.registeredClient();
      const bob = await t.registeredClient();
      const aliceState = (await alice.put('/api/ps101', { revision: 0, answers: { '1.1': 'Alice only' } })).body;
      assert.deepEqual((await bob.get('/api/ps101')).body.answers, {});
      const bobRun = await bob.get(`/api/ps101/runs/${aliceState.runId}`);
      assert.equal(bobRun.status, 404);
      assert.equal(bobRun.body.error.code, 'not_found');
      // Bob saving at Alice's revision writes his own run, never hers.
      await bob.put('/api/ps101', { revision: 0, answers: { '1.1': 'Bob' } });
      await bob.post('/api/ps101/restart');
      assert.deepEqual((await alice.get('/api/ps101')).body, aliceState);
    });

    it('answers bad input with a 4xx and a code, changing nothing', async () => {
      const client = await t.registeredClient();
      const saved = (await client.put('/api/ps101', { revision: 0, answers: { '1.1': 'kept' } })).body;
      const tooMany = Object.fromEntries(Array.from({ length: 201 }, (_, i) => [`1.${i + 1}`, 'x']));
      const cases: [unknown, number, string][] = [
        [{ revision: 1, answers: { '1.1': 'x'.repeat(ANSWER_MAX_CHARS + 1) } }, 413, 'answer_too_long'],
        [{ revision: 1, answers: { '1.1': '😀'.repeat(ANSWER_MAX_CHARS + 1) } }, 413, 'answer_too_long'],
        [{ revision: 1, answers: tooMany }, 400, 'too_many_answers'],
        [{ revision: 1, answers: { '11.1': 'x' } }, 400, 'unknown_prompt'],
        [{ revision: 1, answers: { '1.9': 'x' } }, 400, 'unknown_prompt'],
        [{ revision: 1, answers: { '1.1': 42 } }, 400, 'invalid_input'],
        [{ revision: '1', currentStep: 2 }, 400, 'invalid_input'],
        [{ revision: 1, currentStep: 11 }, 400, 'invalid_input'],
        [{ revision: 1, currentStep: 0 }, 400, 'invalid_input'],
        [{ revision: 1, currentStep: 2.5 }, 400, 'invalid_input'],
        [{ revision: 1, currentStep: 2, extra: true }, 400, 'invalid_input'],
        [{ revision: 1, complete: false }, 400, 'invalid_input'],
        [{ currentStep: 2 }, 400, 'invalid_input'],
        [{ revision: 1 }, 400, 'invalid_input'],
        [[1, 2], 400, 'invalid_input'],
      ];
      for (const [body, status, code] of cases) {
        const response = await client.put('/api/ps101', body);
        assert.equal(response.status, status, JSON.stringify(body).slice(0, 80));
        assert.equal(response.body.error.code, code, JSON.stringify(body).slice(0, 80));
      }
      const malformed = await client.request({
        method: 'PUT',
        url: '/api/ps101',
        payload: '{"revision": 1,',
        headers: { 'content-type': 'application/json' },
      });
      assert.equal(malformed.status, 400);
      assert.equal(malformed.body.error.code, 'invalid_json');
      assert.equal((await client.get('/api/ps101/runs/abc')).status, 404);
      assert.deepEqual((await client.get('/api/ps101')).body, saved);
    });

    it('accepts a full workbook with every answer at the limit', async () => {
      const client = await t.registeredClient();
      const answers = Object.fromEntries(
        PS101_FLOW.steps.flatMap((step) => step.prompts.map((p) => [p.key, 'é'.repeat(ANSWER_MAX_CHARS)])),
      );
      const response = await client.put('/api/ps101', { revision: 0, answers });
      assert.equal(response.status, 200);
      assert.equal(Object.keys(response.body.answers).length, PROMPT_COUNT);
      assert.equal((await client.get('/api/ps101')).body.answers['10.4'], 'é'.repeat(ANSWER_MAX_CHARS));
    });
  });
}
