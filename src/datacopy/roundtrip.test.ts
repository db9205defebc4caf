import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import { sql } from 'kysely';
import { openDatabase } from '../db/connection.js';
import type { TestDatabase } from '../testing/databases.js';
import { FIXTURES, testDatabases } from '../testing/datacopy-fixtures.js';
import { copyDatabase } from './copy.js';
import { introspectTables } from './tables.js';
import { verifyDatabases } from './verify.js';

/** Every application table of a SQLite file, every value with its storage class, in key order. */
function dumpSqlite(file: string): Record<string, unknown[][]> {
  const db = new BetterSqlite3(file, { readonly: true });
  try {
    const tables = db
      .prepare(`select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like 'kysely_%' order by name`)
      .pluck()
      .all() as string[];
    return Object.fromEntries(
      tables.map((table) => {
        const columns = db.prepare(`select name, pk from pragma_table_info(?)`).all(table) as { name: string; pk: number }[];
        const key = columns.filter((c) => c.pk > 0).map((c) => `"${c.name}"`).join(', ');
        const select = columns.flatMap((c) => [`"${c.name}"`, `typeof("${c.name}")`]).join(', ');
        const rows = db.prepare(`select ${select} from "${table}" order by ${key}`).raw(true).safeIntegers(true).all() as unknown[][];
        return [table, rows];
      }),
    );
  } finally {
    db.close();
  }
}

describe('data copy round trip', () => {
  const { fresh, seeded, dropAll } = testDatabases();
  let start: TestDatabase;
  before(async () => {
    start = await seeded('sqlite');
  });
  after(dropAll);

  it('has fixture rows for every table of the schema', async () => {
    const opened = openDatabase(start.config);
    try {
      const tables = await introspectTables(opened.db, 'sqlite');
      assert.ok(tables.length >= 12);
      for (const table of tables) {
        const fixtures = (FIXTURES as Record<string, unknown[]>)[table.name];
        assert.ok(fixtures && fixtures.length > 0, `table ${table.name} has no rows in src/testing/datacopy-fixtures.ts`);
        const count = await sql<{ n: number }>`select count(*) as n from ${sql.table(table.name)}`.execute(opened.db);
        assert.equal(Number(count.rows[0]!.n), fixtures.length, table.name);
      }
    } finally {
      await opened.close();
    }
  });

  it('SQLite -> PostgreSQL -> SQLite ends byte for byte where it started', async () => {
    const middle = await fresh('postgres');
    const end = await fresh('sqlite');
    const there = await copyDatabase({ from: start.location, to: middle.location, batchRows: 2 });
    const back = await copyDatabase({ from: middle.location, to: end.location, batchRows: 2 });
    const fixtureRows = Object.values(FIXTURES).reduce((n, rows) => n + rows.length, 0);
    assert.equal(there.rows, fixtureRows);
    assert.equal(back.rows, fixtureRows);

    const [first, second, whole] = await Promise.all([
      verifyDatabases(start.location, middle.location),
      verifyDatabases(middle.location, end.location),
      verifyDatabases(start.location, end.location),
    ]);
    for (const verification of [first, second, whole]) {
      assert.equal(verification.ok, true, JSON.stringify(verification, null, 1));
    }
    for (const table of first.tables) {
      const other = whole.tables.find((t) => t.table === table.table)!;
      assert.equal(table.sourceChecksum, other.targetChecksum, `${table.table}: the same checksum at start, middle and end`);
      assert.equal(table.sourceChecksum, table.targetChecksum);
    }
    assert.deepEqual(dumpSqlite(end.location), dumpSqlite(start.location));
  });

  it('resets PostgreSQL sequences: a row inserted after the copy gets a new id', async () => {
    const target = await fresh('postgres');
    await copyDatabase({ from: start.location, to: target.location });
    const opened = openDatabase(target.config);
    try {
      const now = new Date().toISOString();
      const user = await opened.db
        .insertInto('users')
        .values({ email: 'after-copy@example.org', password_hash: null, created_at: now, updated_at: now, last_active_at: now })
        .returning('id')
        .executeTakeFirstOrThrow();
      assert.equal(user.id, Math.max(...FIXTURES.users.map((u) => u.id as number)) + 1);
      const message = await opened.db
        .insertInto('chat_messages')
        .values({ user_id: user.id, role: 'user', content: 'hello again', provider: null, created_at: now })
        .returning('id')
        .executeTakeFirstOrThrow();
      assert.equal(message.id, Math.max(...FIXTURES.chat_messages.map((m) => m.id as number)) + 1);
    } finally {
      await opened.close();
    }
  });

  it('copies PostgreSQL -> PostgreSQL and SQLite -> SQLite exactly', async () => {
    const pgA = await fresh('postgres');
    const pgB = await fresh('postgres');
    const sqliteB = await fresh('sqlite');
    await copyDatabase({ from: start.location, to: pgA.location });
    await copyDatabase({ from: pgA.location, to: pgB.location, batchRows: 1 });
    await copyDatabase({ from: start.location, to: sqliteB.location, batchRows: 1 });
    const [pgToPg, sqliteToSqlite] = await Promise.all([
      verifyDatabases(pgA.location, pgB.location),
      verifyDatabases(start.location, sqliteB.location),
    ]);
    assert.equal(pgToPg.ok, true, JSON.stringify(pgToPg.tables));
    assert.equal(sqliteToSqlite.ok, true, JSON.stringify(sqliteToSqlite.tables));
    assert.deepEqual(dumpSqlite(sqliteB.location), dumpSqlite(start.location));
    assert.equal(path.isAbsolute(sqliteB.location), true);
  });
});
