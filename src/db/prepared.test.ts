import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import { sql } from 'kysely';
import { BACKENDS } from '../testing/databases.js';
import { countQueriesThroughKysely } from '../testing/kysely-queries.js';
import { useMigratedDatabase } from '../testing/migrated-database.js';
import type { Database } from './connection.js';
import type { BinaryCopyRow } from './postgres/binary-copy.js';
import { compiledOnce } from './prepared.js';
import { cachingSqliteDatabase } from './sqlite/statements.js';

describe('SQLite statement cache', () => {
  it('prepares each SQL text once and evicts the least recently used beyond its capacity', () => {
    const sqlite = new BetterSqlite3(':memory:');
    const cached = cachingSqliteDatabase(sqlite, { capacity: 2 });
    const a = cached.prepare('select 1');
    assert.equal(cached.prepare('select 1'), a);
    const b = cached.prepare('select 2');
    cached.prepare('select 1'); // now "select 2" is the least recently used
    cached.prepare('select 3');
    assert.equal(cached.prepare('select 1'), a);
    assert.notEqual(cached.prepare('select 2'), b);
    cached.close();
  });
});

const userByEmail = compiledOnce((db: Database['db'], email: string) =>
  db.selectFrom('users').select(['id', 'email']).where('email', '=', email),
);

for (const backend of BACKENDS) {
  describe(`data layer caches on ${backend}`, () => {
    const t = useMigratedDatabase(backend);

    it('runs a compiled-once query with each call’s own values', async () => {
      const now = new Date().toISOString();
      for (const email of ['a@example.org', 'b@example.org']) {
        await t.database.db
          .insertInto('users')
          .values({ email, password_hash: 'x', created_at: now, updated_at: now, last_active_at: now })
          .execute();
      }
      assert.equal((await userByEmail(t.database.db, 'a@example.org'))[0]?.email, 'a@example.org');
      assert.equal((await userByEmail(t.database.db, 'b@example.org'))[0]?.email, 'b@example.org');
      assert.deepEqual(await userByEmail(t.database.db, 'nobody@example.org'), []);
    });

    if (backend === 'sqlite') {
      const insertUser = (db: Database['db'], email: string) => {
        const now = new Date().toISOString();
        return db.insertInto('users').values({ email, password_hash: 'x', created_at: now, updated_at: now, last_active_at: now }).execute();
      };
      const settled = async (promise: Promise<unknown>) => {
        let done = false;
        void promise.then(() => (done = true));
        for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
        return done;
      };

      it('answers a read at once, without Kysely’s executor, when no transaction or iterator holds the connection', async () => {
        const db = t.database.db;
        const queries = countQueriesThroughKysely(db);
        try {
          assert.equal((await userByEmail(db, 'a@example.org'))[0]?.email, 'a@example.org');
        } finally {
          queries.restore();
        }
        assert.equal(queries.count, 0);
      });

      it('answers `now` synchronously only when the read may run at once', async () => {
        const db = t.database.db;
        assert.equal(userByEmail.now(db, 'a@example.org')?.[0]?.email, 'a@example.org');
        assert.deepEqual(userByEmail.now(db, 'nobody@example.org'), []);
        await db.transaction().execute(async (trx) => {
          assert.equal(userByEmail.now(trx, 'a@example.org'), undefined, 'not inside a transaction');
          assert.equal(userByEmail.now(db, 'a@example.org'), undefined, 'not while a transaction holds the connection');
        });
        const rows = db.selectFrom('users').select('email').stream()[Symbol.asyncIterator]();
        assert.ok(!(await rows.next()).done);
        assert.equal(userByEmail.now(db, 'a@example.org'), undefined, 'not while an iterator holds the connection');
        await rows.return?.();
        assert.equal(userByEmail.now(db, 'a@example.org')?.[0]?.email, 'a@example.org');
      });

      it('never lets a read see another request’s uncommitted transaction: it waits for its end', async () => {
        const db = t.database.db;
        let read: Promise<{ email: string | null }[]> | undefined;
        await assert.rejects(
          db.transaction().execute(async (trx) => {
            await insertUser(trx, 'uncommitted@example.org');
            read = userByEmail(db, 'uncommitted@example.org');
            assert.equal(await settled(read), false, 'the read waits while the transaction is open');
            throw new Error('roll back');
          }),
          /roll back/,
        );
        assert.deepEqual(await read, []);
      });

      it('waits for an open iterator instead of failing on the busy connection', async () => {
        const db = t.database.db;
        const rows = db.selectFrom('users').select('email').stream()[Symbol.asyncIterator]();
        assert.ok(!(await rows.next()).done);
        const read = userByEmail(db, 'b@example.org');
        assert.equal(await settled(read), false, 'the read waits while the iterator is open');
        await rows.return?.();
        assert.equal((await read)[0]?.email, 'b@example.org');
      });
    }

    if (backend === 'postgres') {
      it('never answers `now`: every query goes through the pool', async () => {
        assert.equal(userByEmail.now(t.database.db, 'a@example.org'), undefined);
      });

      it('sends parameterized queries as named statements, prepared once per connection', async () => {
        const names = await t.database.db.connection().execute(async (connection) => {
          await userByEmail(connection, 'a@example.org');
          await userByEmail(connection, 'b@example.org');
          const { rows } = await sql<{ name: string }>`select name from pg_prepared_statements where name like 'mosaic_%'`.execute(connection);
          return rows.map((row) => row.name);
        });
        assert.ok(names.length >= 1);
        assert.equal(new Set(names).size, names.length);
      });

      it('reads bytea exactly through a binary COPY', async () => {
        const bytes = randomBytes(300_000);
        const copied = await t.database.db.connection().execute(async (connection) => {
          await sql`create temporary table blobs (id int, content bytea)`.execute(connection);
          await sql`insert into blobs values (1, ${bytes}), (2, ${Buffer.alloc(0)}), (3, null)`.execute(connection);
          return (await sql<BinaryCopyRow>`copy (select content from blobs order by id) to stdout (format binary)`.execute(connection)).rows;
        });
        assert.equal(copied.length, 3);
        assert.ok(copied[0]!.fields[0]!.equals(bytes));
        assert.equal(copied[1]!.fields[0]!.length, 0);
        assert.equal(copied[2]!.fields[0], null);
      });
    }
  });
}
