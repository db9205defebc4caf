import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sql } from 'kysely';
import { openDatabase } from '../../db/connection.js';
import { BACKENDS } from '../databases.js';
import { WRITE_KINDS } from './ledger.js';
import { runSoak } from './run.js';

// The crash-cycle soak, short: 3 SIGKILLs per backend (`npm run soak` runs 20).
const SEED = Number(process.env.SOAK_SEED ?? 20261125);

for (const backend of BACKENDS) {
  describe(`crash cycles on ${backend}`, () => {
    it('keeps every acknowledged write, stores nothing refused, and nothing by halves across 3 SIGKILLs', async () => {
      const report = await runSoak({ backend, cycles: 3, seed: SEED });
      assert.equal(report.cycles, 3);
      assert.deepEqual(report.ledger.problems, [], `seed ${SEED}:\n${report.ledger.format()}`);
      const totals = report.ledger.totals();
      assert.ok(totals.acknowledged >= 30, report.ledger.format());
      assert.ok(totals.unknown > 0, `no write was cut by a kill:\n${report.ledger.format()}`);
      assert.ok(report.ledger.checksPassed > totals.acknowledged, `${report.ledger.checksPassed} checks`);
      // The everyday writes happen in every run; the rarer ones (deletions) depend on the seed.
      for (const kind of ['registration', 'workbook save', 'chat', 'upload'] as const) {
        assert.ok(report.ledger.writes.get(kind)!.acknowledged > 0, `no acknowledged ${kind}:\n${report.ledger.format()}`);
      }
      assert.equal(report.ledger.writes.size, WRITE_KINDS.length);
    });

    it('reports a lost or half-written write (the checks are not vacuous)', async () => {
      const report = await runSoak({
        backend,
        cycles: 1,
        seed: SEED + 1,
        killAfterMs: [1500, 1500],
        // What a broken server could leave behind: a file row without its bytes, a coach reply
        // without its metrics, a workbook answer changed, a résumé gone.
        beforeChecks: async (database) => {
          const { db } = openDatabase(database.config);
          try {
            await sql`delete from file_contents where file_id = (select min(file_id) from file_contents)`.execute(db);
            await sql`delete from coach_metrics where id = (select min(id) from coach_metrics)`.execute(db);
            await sql`update ps101_runs set answers = '{"1.1":"not what was saved"}' where id = (select min(id) from ps101_runs)`.execute(db);
            await sql`delete from resumes where id = (select min(id) from resumes)`.execute(db);
          } finally {
            await db.destroy();
          }
        },
      });
      const problems = report.ledger.problems.join('\n');
      assert.match(problems, /no content row/);
      assert.match(problems, /coach replies without metrics/);
      assert.match(problems, /the reply \d+ or its metrics are missing/);
      assert.match(problems, /workbook of person \d+ is/);
      assert.match(problems, /acknowledged résumé \d+ is missing/);
    });
  });
}
