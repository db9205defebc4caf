import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import pino from 'pino';
import { sendMessage } from '../chat/service.js';
import { AppError } from '../errors.js';
import { ExtractionPool } from '../files/extract-pool.js';
import { UploadSlots } from '../files/upload-slots.js';
import { saveUpload } from '../files/service.js';
import { restartWorkbook, updateWorkbook } from '../ps101/service.js';
import { createResume } from '../resumes/service.js';
import { useTestApp, type TestClient } from '../testing/app.js';
import { BACKENDS } from '../testing/databases.js';
import { countRows, seedWorkbookRun, uploadFile } from '../testing/person-data.js';

const PASSWORD = 'correct horse battery';

async function rejectsWith(promise: Promise<unknown>, status: number, code: string) {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof AppError, `an AppError, not ${String(error)}`);
    assert.equal(error.status, status);
    assert.equal(error.code, code);
    return true;
  });
}

for (const backend of BACKENDS) {
  describe(`races on ${backend}`, () => {
    const t = useTestApp(backend);

    it('two simultaneous upgrades of one guest make exactly one account; the second gets 409', async () => {
      for (let round = 0; round < 5; round++) {
        const guest = t.client();
        const created = await guest.post('/api/auth/guest');
        assert.equal(created.status, 201);
        const users = await countRows(t.ctx.db, 'users');
        const emails = [`first-${round}-${Date.now()}@example.org`, `second-${round}-${Date.now()}@example.org`];
        const responses = await Promise.all(emails.map((email) => guest.post('/api/auth/register', { email, password: PASSWORD })));
        assert.deepEqual(responses.map((r) => r.status).sort(), [201, 409], JSON.stringify(responses.map((r) => r.body)));
        const refused = responses.find((r) => r.status === 409)!;
        assert.equal(refused.body.error.code, 'already_registered');
        const winner = responses.find((r) => r.status === 201)!;
        assert.equal(winner.body.user.id, created.body.user.id, 'the guest became the account');
        assert.equal(await countRows(t.ctx.db, 'users'), users, 'no second account');
        const registered = await t.ctx.db.selectFrom('users').select('email').where('email', 'in', emails).execute();
        assert.equal(registered.length, 1);
      }
    });

    it('a write whose account was deleted after its session was checked answers 401/404, never a 500', async () => {
      // The session gate passed, then the account went: the foreign key refuses the write.
      const { user } = await t.client().register();
      const runId = await seedWorkbookRun(t.ctx.db, user.id, { '1.1': 'Nursing' });
      await t.ctx.db.deleteFrom('users').where('id', '=', user.id).execute();
      const log = pino({ level: 'silent' });
      await rejectsWith(sendMessage(t.ctx.db, t.ctx.coach, user.id, 'Hello?'), 401, 'unauthenticated');
      const archive = { maxUncompressedBytes: 1024 * 1024, maxRatio: 100 };
      const extraction = new ExtractionPool({ ...t.ctx.config.extraction, archive });
      const uploads = { db: t.ctx.db, log, extraction, archive, maxStorageBytes: 1024 * 1024, slots: new UploadSlots(1) };
      await rejectsWith(saveUpload(uploads, user.id, { name: 'notes.txt', bytes: Buffer.from('Some notes') }), 401, 'unauthenticated');
      await extraction.close();
      await rejectsWith(updateWorkbook(t.ctx.db, user.id, { revision: 0, answers: { '1.1': 'Teaching' } }), 401, 'unauthenticated');
      await rejectsWith(updateWorkbook(t.ctx.db, user.id, { revision: 1, answers: { '1.1': 'Teaching' } }), 401, 'unauthenticated');
      await rejectsWith(restartWorkbook(t.ctx.db, user.id), 401, 'unauthenticated');
      await rejectsWith(createResume(t.ctx.db, user.id, { name: 'CV', content: 'Led a team.' }), 404, 'not_found');
      assert.ok(runId > 0);
      for (const table of ['chat_messages', 'files', 'ps101_runs', 'resumes'] as const) {
        const rows = await t.ctx.db.selectFrom(table).select('id').where('user_id', '=', user.id).execute();
        assert.equal(rows.length, 0, table);
      }
    });

    it('writes racing DELETE /api/me answer 2xx, 401 or 404, and leave nothing behind', async () => {
      const statuses = new Map<string, number>();
      for (let round = 0; round < 6; round++) {
        const owner: TestClient = t.client();
        const { user } = await owner.register();
        await seedWorkbookRun(t.ctx.db, user.id, { '1.1': 'I love patient care and helping people.' });
        const refreshed = await owner.post('/api/jobs/matches/refresh');
        assert.ok(refreshed.body.matches.length > 0);
        const matchId = refreshed.body.matches[0].id;
        const resume = await owner.post('/api/resumes', { name: 'CV', content: 'Cared for patients.' });
        const writes: [string, () => Promise<{ status: number; body: any }>][] = [
          ['chat', () => owner.post('/api/chat/messages', { content: 'Am I ready to apply?' })],
          ['upload', () => uploadFile(owner, Buffer.from('Notes about nursing'), 'notes.txt')],
          ['workbook', () => owner.put('/api/ps101', { revision: 1, answers: { '1.2': 'Helping people' } })],
          ['match status', () => owner.patch(`/api/jobs/matches/${matchId}`, { status: 'applied' })],
          ['refresh', () => owner.post('/api/jobs/matches/refresh')],
          ['résumé', () => owner.post('/api/resumes', { name: 'CV 2', content: 'Cared for patients.' })],
          ['feedback', () => owner.post(`/api/resumes/${resume.body.resume.id}/feedback`)],
        ];
        // The deletion first verifies the password (tens of milliseconds), so writes start
        // before, during and after it commits.
        const [deletion, ...results] = await Promise.all([
          owner.delete('/api/me', { password: PASSWORD }),
          ...writes.map(([, write]) => write()),
        ]);
        assert.equal(deletion.status, 204);
        results.forEach((result, i) => {
          const name = writes[i]![0];
          statuses.set(`${name} ${result.status}`, (statuses.get(`${name} ${result.status}`) ?? 0) + 1);
          assert.ok([200, 201, 204, 401, 404].includes(result.status), `${name}: ${result.status} ${JSON.stringify(result.body)}`);
        });
        assert.equal(await t.ctx.db.selectFrom('users').select('id').where('id', '=', user.id).executeTakeFirst(), undefined);
        for (const table of ['chat_messages', 'files', 'ps101_runs', 'resumes', 'job_matches', 'coach_metrics'] as const) {
          const rows = await t.ctx.db.selectFrom(table).select('id').where('user_id', '=', user.id).execute();
          assert.equal(rows.length, 0, `${table} rows outlived the account`);
        }
      }
      assert.ok(statuses.size > 0);
    });
  });
}
