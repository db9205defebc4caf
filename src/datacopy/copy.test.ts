import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import { sql } from 'kysely';
import { openDatabase } from '../db/connection.js';
import type { TestDatabase } from '../testing/databases.js';
import { FIXTURES, testDatabases } from '../testing/datacopy-fixtures.js';
import { copyDatabase, TargetNotEmptyError } from './copy.js';
import { CopyValueError } from './values.js';
import { verifyDatabases } from './verify.js';

const BIN = fileURLToPath(new URL('../../bin/mosaic.js', import.meta.url));
const APP_TABLES = Object.keys(FIXTURES);

async function rowCounts(database: TestDatabase): Promise<Record<string, number>> {
  const opened = openDatabase(database.config);
  try {
    const counts: Record<string, number> = {};
    for (const table of APP_TABLES) {
      const result = await sql<{ n: number }>`select count(*) as n from ${sql.table(table)}`.execute(opened.db);
      counts[table] = Number(result.rows[0]!.n);
    }
    return counts;
  } finally {
    await opened.close();
  }
}

const emptyCounts = () => Object.fromEntries(APP_TABLES.map((t) => [t, 0]));

/** Adds `count` chat messages for user 1, so a copy takes several batches. */
async function addMessages(database: TestDatabase, count: number, prefix = 'message'): Promise<void> {
  const opened = openDatabase(database.config);
  try {
    const now = new Date().toISOString();
    await opened.db
      .insertInto('chat_messages')
      .values(Array.from({ length: count }, (_, i) => ({ user_id: 1, role: 'user' as const, content: `${prefix} ${i}`, provider: null, created_at: now })))
      .execute();
  } finally {
    await opened.close();
  }
}

describe('mosaic db copy', () => {
  const { fresh, seeded, dropAll } = testDatabases();
  after(dropAll);

  it('refuses a non-empty target unless --replace, which swaps its contents', async () => {
    const source = await seeded('sqlite');
    const target = await fresh('postgres');
    await copyDatabase({ from: source.location, to: target.location });
    await addMessages(target, 3, 'only in the target');
    const before = await rowCounts(target);

    await assert.rejects(copyDatabase({ from: source.location, to: target.location }), (error: Error) => {
      assert.ok(error instanceof TargetNotEmptyError);
      assert.match(error.message, /not empty: .*chat_messages \(7 rows\).*--replace/);
      return true;
    });
    assert.deepEqual(await rowCounts(target), before);

    await copyDatabase({ from: source.location, to: target.location, replace: true });
    assert.equal((await verifyDatabases(source.location, target.location)).ok, true);
  });

  it('stops at a value the target cannot hold, naming table, key and reason, and writes nothing', async () => {
    const source = await seeded('sqlite');
    const cases = [
      { sql: `update chat_messages set content = cast(x'4869ff21' as text) where id = 6`, table: 'chat_messages', key: 'id=6', reason: /not valid UTF-8/ },
      { sql: `update chat_messages set content = 'a' || char(0) || 'b' where id = 5`, table: 'chat_messages', key: 'id=5', reason: /NUL character/ },
      { sql: `update sessions set created_at = '2026-01-01 10:00:00' where id = 3`, table: 'sessions', key: 'id=3', reason: /not canonical ISO-8601/ },
      { sql: `update coach_metrics set clarity = 9007199254740993 where id = 1`, table: 'coach_metrics', key: 'id=1', reason: /does not fit PostgreSQL int4/ },
      { sql: `update job_matches set current = 'yes' where id = 2`, table: 'job_matches', key: 'id=2', reason: /expected a boolean/ },
    ];
    // One target for every case: each failed copy must leave it empty for the next.
    const target = await fresh('postgres');
    const file = new BetterSqlite3(source.location);
    try {
      for (const problem of cases) {
        file.exec('savepoint problem');
        file.exec(problem.sql);
        file.exec('release problem');
        await assert.rejects(copyDatabase({ from: source.location, to: target.location, batchRows: 1 }), (error: Error) => {
          assert.ok(error instanceof CopyValueError, `${problem.sql}: ${error.message}`);
          assert.equal(error.table, problem.table);
          assert.equal(error.key, problem.key);
          assert.match(error.reason, problem.reason);
          return true;
        });
        // Earlier batches went into the same transaction: rolled back with it.
        assert.deepEqual(await rowCounts(target), emptyCounts(), problem.sql);
        file.exec('delete from chat_messages; delete from sessions; delete from coach_metrics; delete from job_matches');
        for (const table of ['chat_messages', 'coach_metrics', 'sessions', 'job_matches'] as const) {
          const rows = FIXTURES[table];
          const columns = Object.keys(rows[0]!);
          const insert = file.prepare(`insert into ${table} (${columns.join(', ')}) values (${columns.map(() => '?').join(', ')})`);
          for (const row of rows) insert.run(columns.map((c) => (typeof row[c] === 'boolean' ? Number(row[c]) : row[c])));
        }
      }
    } finally {
      file.close();
    }
  });

  for (const targetBackend of ['postgres', 'sqlite'] as const) {
    it(`--resume continues an interrupted copy to ${targetBackend} after its last committed batch`, async () => {
      const source = await seeded('sqlite');
      await addMessages(source, 60);
      const target = await fresh(targetBackend);
      const interrupted = new Error('simulated interruption');
      await assert.rejects(
        copyDatabase({
          from: source.location,
          to: target.location,
          resume: true,
          batchRows: 10,
          afterBatch: (batch) => {
            if (batch.number === 4) throw interrupted;
          },
        }),
        (error) => error === interrupted,
      );
      const partial = await rowCounts(target);
      const copiedSoFar = Object.values(partial).reduce((a, b) => a + b, 0);
      assert.ok(copiedSoFar > 0 && partial.chat_messages! < 64, JSON.stringify(partial));

      const batches: string[] = [];
      const result = await copyDatabase({
        from: source.location,
        to: target.location,
        resume: true,
        batchRows: 10,
        afterBatch: (batch) => void batches.push(batch.table),
      });
      assert.equal(result.rows, 64 + Object.values(FIXTURES).reduce((n, rows) => n + rows.length, 0) - 4);
      assert.equal(batches.includes('users'), false, 'tables finished before the interruption are not read again');
      assert.equal((await verifyDatabases(source.location, target.location)).ok, true);
    });
  }

  it('verify reports a changed row and the command exits non-zero', async () => {
    const source = await seeded('sqlite');
    const target = await fresh('postgres');
    await copyDatabase({ from: source.location, to: target.location });
    const cli = (from: string, to: string) =>
      spawnSync(process.execPath, [BIN, 'db', 'verify', '--from', from, '--to', to], { encoding: 'utf8' });
    assert.equal((await verifyDatabases(source.location, target.location)).ok, true);

    const opened = openDatabase(target.config);
    await opened.db.updateTable('resume_feedback').set({ feedback: '{"changed":true}' }).where('id', '=', 2).execute();
    await opened.close();
    const verification = await verifyDatabases(source.location, target.location);
    assert.equal(verification.ok, false);
    assert.deepEqual(verification.tables.filter((t) => !t.match).map((t) => t.table), ['resume_feedback']);
    const changed = cli(source.location, target.location);
    assert.equal(changed.status, 4);
    assert.match(changed.stdout, /resume_feedback +\| +2 \| +2 \| +NO/);
    assert.match(changed.stdout, /MISMATCH/);
  });

  for (const sourceBackend of ['sqlite', 'postgres'] as const) {
    it(`reads a ${sourceBackend} source being written from one consistent snapshot`, async () => {
      const source = await seeded(sourceBackend);
      await addMessages(source, 40);
      const before = await rowCounts(source);
      const target = await fresh(sourceBackend === 'sqlite' ? 'postgres' : 'sqlite');
      const writer = openDatabase(source.config);
      try {
        await copyDatabase({
          from: source.location,
          to: target.location,
          batchRows: 5,
          // Between batches a live server writes: new rows everywhere, and a change to a row not read yet.
          afterBatch: async () => {
            await writer.db
              .insertInto('chat_messages')
              .values({ user_id: 7, role: 'user', content: 'written during the copy', provider: null, created_at: new Date().toISOString() })
              .execute();
            await writer.db.updateTable('sessions').set({ user_agent: 'changed during the copy' }).where('id', '=', 3).execute();
            await writer.db.insertInto('login_failures').values({ subject: 'ip:during', failed_at: new Date().toISOString() }).execute();
          },
        });
      } finally {
        await writer.close();
      }
      assert.deepEqual(await rowCounts(target), before);
      const after = await rowCounts(source);
      assert.ok(after.chat_messages! > before.chat_messages!);
      const copied = openDatabase(target.config);
      try {
        const session = await copied.db.selectFrom('sessions').select('user_agent').where('id', '=', 3).executeTakeFirstOrThrow();
        assert.equal(session.user_agent, null);
      } finally {
        await copied.close();
      }
    });
  }
});
