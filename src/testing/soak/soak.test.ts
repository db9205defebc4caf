import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { openDatabase } from '../../db/connection.js';
import { BACKENDS } from '../databases.js';
import { WRITE_KINDS } from './ledger.js';
import { runSoak } from './run.js';

// The crash-cycle soak, short: 3 SIGKILLs per backend (`npm run soak` runs 20).
const SEED = Number(process.env.SOAK_SEED ?? 20261125);
/** Writes every run makes; the rarer ones (deletions) depend on the seed. */
const EVERYDAY = ['registration', 'workbook save', 'chat', 'upload'] as const;
/** The writes the damage test spoils. */
const DAMAGED = ['upload', 'chat', 'workbook save', 'résumé'] as const;

for (const backend of BACKENDS) {
  describe(`crash cycles on ${backend}`, () => {
    it('keeps every acknowledged write, stores nothing refused, and nothing by halves across 3 SIGKILLs', async () => {
      const report = await runSoak({
        backend,
        cycles: 3,
        seed: SEED,
        // A loaded machine writes slowly: each kill waits for enough writes to check.
        warmUp: (ledger, cycle) => ledger.totals().acknowledged >= 12 * cycle && EVERYDAY.every((kind) => ledger.writes.get(kind)!.acknowledged > 0),
      });
      assert.equal(report.cycles, 3);
      assert.deepEqual(report.ledger.problems, [], `seed ${SEED}:\n${report.ledger.format()}`);
      const totals = report.ledger.totals();
      assert.ok(totals.acknowledged >= 30, report.ledger.format());
      assert.ok(totals.unknown > 0, `no write was cut by a kill:\n${report.ledger.format()}`);
      assert.ok(report.ledger.checksPassed > totals.acknowledged, `${report.ledger.checksPassed} checks`);
      for (const kind of EVERYDAY) {
        assert.ok(report.ledger.writes.get(kind)!.acknowledged > 0, `no acknowledged ${kind}:\n${report.ledger.format()}`);
      }
      assert.equal(report.ledger.writes.size, WRITE_KINDS.length);
    });

    it('reports a lost or half-written write (the checks are not vacuous)', async () => {
      const report = await runSoak({
        backend,
        cycles: 1,
        seed: SEED + 1,
        killAfterMs: [0, 200],
        warmUp: (ledger) => DAMAGED.every((kind) => ledger.writes.get(kind)!.acknowledged > 0),
        // What a broken server could leave behind, each on a write that was acknowledged: a
        // file row without its bytes, a coach reply without its metrics, a workbook answer
        // changed, a résumé gone.
        beforeChecks: async (database, people) => {
          const live = people.filter((p) => p.state === 'live');
          const file = live.flatMap((p) => [...p.files.values()]).find((f) => f.state === 'present')!;
          const exchange = live.flatMap((p) => p.chats).find((c) => c.outcome === 'acknowledged')!;
          const writer = live.find((p) => p.workbook.revision > 0 && !p.pendingWorkbook)!;
          const resume = live.flatMap((p) => p.resumes).find((r) => r.state === 'present')!;
          const { db } = openDatabase(database.config);
          try {
            await db.deleteFrom('file_contents').where('file_id', '=', file.id!).execute();
            await db.deleteFrom('coach_metrics').where('message_id', '=', exchange.replyId!).execute();
            await db
              .updateTable('ps101_runs')
              .set({ answers: '{"1.1":"not what was saved"}' })
              .where('user_id', '=', writer.userId!)
              .where('archived_at', 'is', null)
              .execute();
            await db.deleteFrom('resumes').where('id', '=', resume.id!).execute();
          } finally {
            await db.destroy();
          }
        },
      });
      const problems = report.ledger.problems.join('\n');
      assert.match(problems, /file \d+: no content row/);
      assert.match(problems, /coach replies without metrics/);
      assert.match(problems, /the reply \d+ or its metrics are missing/);
      assert.match(problems, /workbook of person \d+ is/);
      assert.match(problems, /acknowledged résumé \d+ is missing/);
    });
  });
}
