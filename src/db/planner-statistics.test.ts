import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CompiledQuery, sql } from 'kysely';
import { selectFileWithContent } from '../files/store.js';
import { BACKENDS } from '../testing/databases.js';
import { useMigratedDatabase } from '../testing/migrated-database.js';
import { refreshPlannerStatistics } from './planner-statistics.js';

for (const backend of BACKENDS) {
  describe(`planner statistics on ${backend}`, () => {
    const t = useMigratedDatabase(backend);

    if (backend === 'postgres') {
      it('leaves PostgreSQL to autovacuum', async () => {
        assert.equal(await refreshPlannerStatistics(t.database.db), false);
      });
      return;
    }

    const now = new Date().toISOString();
    async function addFiles(userId: number, count: number) {
      for (let i = 0; i < count; i++) {
        const { id } = await t.database.db
          .insertInto('files')
          .values({ user_id: userId, name: 'cv.pdf', content_type: 'application/pdf', size: 3, sha256: 'x', text_content: null, created_at: now })
          .returning('id')
          .executeTakeFirstOrThrow();
        await t.database.db.insertInto('file_contents').values({ file_id: id, content: Buffer.from('pdf') }).execute();
      }
    }

    // The plan of the download's own query.
    async function downloadPlan(userId: number, fileId: number): Promise<string> {
      const query = selectFileWithContent(t.database.db, userId, fileId).compile();
      const { rows } = await t.database.db.executeQuery<{ detail: string }>(
        CompiledQuery.raw(`explain query plan ${query.sql}`, [...query.parameters]),
      );
      return rows.map((row) => row.detail).join(' / ');
    }

    it('re-analyses tables that grew after an ANALYZE, so a lookup by id stops scanning', async () => {
      const { id: userId } = await t.database.db
        .insertInto('users')
        .values({ email: 'stats@example.org', password_hash: 'x', created_at: now, updated_at: now, last_active_at: now })
        .returning('id')
        .executeTakeFirstOrThrow();
      await addFiles(userId, 1);
      await sql`analyze`.execute(t.database.db);
      await addFiles(userId, 500);

      // The premise: statistics of one row make SQLite scan both tables.
      assert.match(await downloadPlan(userId, 7), /SCAN files/);

      assert.equal(await refreshPlannerStatistics(t.database.db), true);
      const plan = await downloadPlan(userId, 7);
      assert.match(plan, /SEARCH files USING INTEGER PRIMARY KEY/);
      assert.match(plan, /SEARCH file_contents USING INTEGER PRIMARY KEY/);
      const stats = await sql<{ stat: string }>`select stat from sqlite_stat1 where tbl = 'files'`.execute(t.database.db);
      assert.ok(stats.rows.length > 0 && stats.rows.every((row) => row.stat.startsWith('501 ')), JSON.stringify(stats.rows));
    });
  });
}
