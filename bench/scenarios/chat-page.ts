import { type BenchBackend } from '../backends.js';
import { loadDriver, loadRoute } from '../load.js';
import { atEachLevel, type Row } from '../report.js';
import { readTarget, sessionLookupFor } from './auth-me.js';

// The statement Kysely compiles from src/chat/store.ts's listMessages for a first page (the
// limit is the page size plus one, to tell whether an older page exists).
const PAGE_SQL = 'select * from "chat_messages" where "user_id" >= $1 and "user_id" <= $2 order by "user_id" desc, "id" desc limit $3';
const OTHER_USERS = 1_000;
const OTHER_MESSAGES_EACH = 100;
/** The measured people's message counts; the first and last are the comparison. */
const PEOPLE = [10, 100, 100_000];

interface SeedRow {
  userId: number;
  i: number;
}

async function insertMessages(b: BenchBackend, rows: SeedRow[]): Promise<void> {
  const base = Date.parse('2026-01-01T00:00:00.000Z');
  const values = (r: SeedRow) => [
    r.userId,
    r.i % 2 === 0 ? 'user' : 'coach',
    `Message ${r.i}: I have been thinking about what a good next step would look like for me this month.`,
    r.i % 2 === 0 ? null : 'offline',
    new Date(base + r.i * 60_000).toISOString(),
  ];
  const driver = b.driver;
  if (driver.backend === 'sqlite') {
    const insert = driver.sqlite.prepare('insert into chat_messages (user_id, role, content, provider, created_at) values (?, ?, ?, ?, ?)');
    driver.sqlite.transaction(() => {
      for (const r of rows) insert.run(...values(r));
    })();
    return;
  }
  for (let start = 0; start < rows.length; start += 1000) {
    const chunk = rows.slice(start, start + 1000);
    const placeholders = chunk.map((_, j) => `($${j * 5 + 1}, $${j * 5 + 2}, $${j * 5 + 3}, $${j * 5 + 4}, $${j * 5 + 5})`).join(', ');
    await driver.pool.query(`insert into chat_messages (user_id, role, content, provider, created_at) values ${placeholders}`, chunk.flatMap(values));
  }
}

/** People who are not measured, each with a user row for the foreign key. */
async function insertOtherUsers(b: BenchBackend, count: number): Promise<number[]> {
  const now = new Date().toISOString();
  const driver = b.driver;
  const ids: number[] = [];
  const insert =
    driver.backend === 'sqlite'
      ? driver.sqlite.prepare('insert into users (email, created_at, updated_at, last_active_at) values (?, ?, ?, ?) returning id')
      : null;
  for (let i = 0; i < count; i++) {
    const params = [`bench-other-${i}-${Date.now()}@example.org`, now];
    if (driver.backend === 'sqlite') {
      ids.push((insert!.get(params[0], now, now, now) as { id: number }).id);
    } else {
      const { rows } = await driver.pool.query(
        'insert into users (email, created_at, updated_at, last_active_at) values ($1, $2, $2, $2) returning id',
        params,
      );
      ids.push(Number(rows[0].id));
    }
  }
  return ids;
}

/** `EXPLAIN (ANALYZE, BUFFERS)` of the page query, for the closing note. */
async function explainPage(b: BenchBackend, userId: number): Promise<string> {
  if (b.driver.backend !== 'postgres') return '';
  const { rows } = await b.driver.pool.query(`explain (analyze, buffers) ${PAGE_SQL}`, [userId, userId, 51]);
  return rows.map((r: Record<string, string>) => `    ${r['QUERY PLAN']}`).join('\n');
}

/**
 * GET /api/chat/messages (newest 50) for people with 10, 100 and 100,000 messages, in a table
 * where 1,000 other people wrote 100,000 messages after the long history (the case in which a
 * plan that walks the primary key and filters on user_id reads every one of them): with keyset
 * paging on (user_id, id) the history's length costs nothing. Each against the keyset query by
 * driver. Seeded once, then analysed, as a production table is.
 *
 * The issue compares 50 of 100,000 with 50 of 10, but that page holds 10 rows against 51
 * read, so it mixes the history's length with the page's size; 50 of 100 reads the same 51
 * rows as 50 of 100,000 and isolates the length.
 */
export async function benchChatPage(b: BenchBackend): Promise<{ rows: Row[]; notes: string[] }> {
  const rows: Row[] = [];
  const notes: string[] = [];
  const people: { count: number; client: Awaited<ReturnType<BenchBackend['newUser']>>; userId: number }[] = [];
  for (const count of PEOPLE) {
    const client = await b.newUser();
    const userId = (await client.request('GET', '/api/auth/me')).body.user.id as number;
    await insertMessages(b, Array.from({ length: count }, (_, i) => ({ userId, i })));
    people.push({ count, client, userId });
  }
  const others = await insertOtherUsers(b, OTHER_USERS);
  await insertMessages(
    b,
    Array.from({ length: OTHER_USERS * OTHER_MESSAGES_EACH }, (_, i) => ({ userId: others[i % OTHER_USERS]!, i })),
  );
  // Right after a bulk insert the planner has no statistics (autovacuum has not run yet) and
  // picks a bitmap scan over the whole user's rows; production tables are analysed. Only this
  // table: a database-wide ANALYZE also recorded the files tables while they held one row, and
  // on SQLite those stale statistics (no autovacuum refreshes them) made the later download
  // query scan every stored file.
  if (b.driver.backend === 'sqlite') b.driver.sqlite.exec('analyze chat_messages');
  else await b.driver.pool.query('analyze chat_messages');

  const driver = b.driver;
  const sqliteQuery = driver.backend === 'sqlite' ? driver.sqlite.prepare(PAGE_SQL.replace(/\$\d/g, '?')) : null;
  for (const { count, client, userId } of people) {
    const check = await client.request('GET', '/api/chat/messages?limit=50');
    if (check.status !== 200 || check.body.messages.length !== Math.min(50, count)) throw new Error(`chat page failed: ${check.status}`);
    const expected = Math.min(51, count);
    const lookup = sessionLookupFor(b, client.cookie);
    rows.push(
      ...(await atEachLevel(async (connections) => {
        const route = await loadRoute(b.server.url, { path: '/api/chat/messages?limit=50', headers: { cookie: client.cookie } }, connections);
        const ceiling = await loadDriver(async () => {
          await lookup();
          const page =
            driver.backend === 'postgres' ? (await driver.pool.query(PAGE_SQL, [userId, userId, 51])).rows : sqliteQuery!.all(userId, userId, 51);
          if (page.length !== expected) throw new Error('short page');
        }, connections);
        const scenario = `GET /api/chat/messages (50 of ${count.toLocaleString('en-US')})`;
        return {
          backend: b.backend,
          scenario,
          connections,
          route,
          ceiling,
          ceilingName: 'driver lookup + keyset page',
          target: readTarget(b.backend, connections),
          request: { path: '/api/chat/messages?limit=50', headers: { cookie: client.cookie } },
        };
      })),
    );
    const plan = await explainPage(b, userId);
    if (plan) {
      notes.push(
        `${b.backend}: EXPLAIN (ANALYZE, BUFFERS) of the page query, the person with ${count.toLocaleString('en-US')} messages ` +
          `(table: ${(PEOPLE.reduce((a, b) => a + b) + OTHER_USERS * OTHER_MESSAGES_EACH).toLocaleString('en-US')} messages, ${OTHER_USERS.toLocaleString('en-US')} other people), after ANALYZE:\n${plan}`,
      );
    }
  }
  const measured = (count: number, connections: number) =>
    rows.find((r) => r.scenario === `GET /api/chat/messages (50 of ${count.toLocaleString('en-US')})` && r.connections === connections)!;
  for (const { connections } of rows.filter((r) => r.scenario.endsWith('(50 of 10)'))) {
    const large = measured(100_000, connections);
    const times = (count: number, of: 'route' | 'ceiling') => (measured(count, connections)[of].rps / large[of].rps).toFixed(2);
    notes.push(
      `${b.backend}: chat page at ${connections} connections: 50 of 100,000 costs ${times(10, 'route')}× 50 of 10 (target ≤ 1.5×; ` +
        `driver ${times(10, 'ceiling')}×) and ${times(100, 'route')}× 50 of 100, the same 51 rows read (driver ${times(100, 'ceiling')}×)`,
    );
  }
  return { rows, notes };
}
