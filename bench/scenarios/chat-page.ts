import { atEachLevel, loadDriver, loadRoute, type BenchBackend, type Row } from '../lib.js';
import { readTarget, sessionLookupFor } from './auth-me.js';

const PAGE_SQL = 'select id, role, content, provider, created_at from chat_messages where user_id = $1 order by id desc limit 51';

async function seedMessages(b: BenchBackend, userId: number, count: number): Promise<void> {
  const base = Date.parse('2026-01-01T00:00:00.000Z');
  const row = (i: number) => ({
    role: i % 2 === 0 ? 'user' : 'coach',
    content: `Message ${i}: I have been thinking about what a good next step would look like for me this month.`,
    provider: i % 2 === 0 ? null : 'offline',
    created_at: new Date(base + i * 60_000).toISOString(),
  });
  const driver = b.driver;
  if (driver.backend === 'sqlite') {
    const insert = driver.sqlite.prepare('insert into chat_messages (user_id, role, content, provider, created_at) values (?, ?, ?, ?, ?)');
    driver.sqlite.transaction(() => {
      for (let i = 0; i < count; i++) {
        const r = row(i);
        insert.run(userId, r.role, r.content, r.provider, r.created_at);
      }
    })();
    driver.sqlite.exec('analyze');
    return;
  }
  for (let start = 0; start < count; start += 1000) {
    const chunk = Array.from({ length: Math.min(1000, count - start) }, (_, j) => row(start + j));
    const values = chunk.map((_, j) => `($1, $${j * 4 + 2}, $${j * 4 + 3}, $${j * 4 + 4}, $${j * 4 + 5})`).join(', ');
    await driver.pool.query(
      `insert into chat_messages (user_id, role, content, provider, created_at) values ${values}`,
      [userId, ...chunk.flatMap((r) => [r.role, r.content, r.provider, r.created_at])],
    );
  }
  // Right after a bulk insert the planner has no statistics (autovacuum has not run yet) and
  // picks a bitmap scan over the whole user's rows; production tables are analysed.
  await driver.pool.query('analyze chat_messages');
}

/** `EXPLAIN (ANALYZE, BUFFERS)` of the page query, for the closing note. */
async function explainPage(b: BenchBackend, userId: number): Promise<string> {
  if (b.driver.backend !== 'postgres') return '';
  const { rows } = await b.driver.pool.query(`explain (analyze, buffers) ${PAGE_SQL}`, [userId]);
  return rows.map((r: Record<string, string>) => `    ${r['QUERY PLAN']}`).join('\n');
}

/**
 * GET /api/chat/messages (newest 50) for a person with 10 messages and one with 100,000: with
 * keyset paging on (user_id, id) both cost the same. Each against the keyset query by driver.
 */
export async function benchChatPage(b: BenchBackend): Promise<{ rows: Row[]; notes: string[] }> {
  const rows: Row[] = [];
  const notes: string[] = [];
  for (const count of [10, 100_000]) {
    const client = await b.newUser();
    const userId = (await client.request('GET', '/api/auth/me')).body.user.id as number;
    await seedMessages(b, userId, count);
    const check = await client.request('GET', '/api/chat/messages?limit=50');
    if (check.status !== 200 || check.body.messages.length !== Math.min(50, count)) throw new Error(`chat page failed: ${check.status}`);
    const driver = b.driver;
    const sqliteQuery = driver.backend === 'sqlite' ? driver.sqlite.prepare(PAGE_SQL.replace('$1', '?')) : null;
    const expected = Math.min(51, count);
    const lookup = sessionLookupFor(b, client.cookie);
    rows.push(
      ...(await atEachLevel(async (connections) => {
        const route = await loadRoute(b.server.url, { path: '/api/chat/messages?limit=50', headers: { cookie: client.cookie } }, connections);
        const ceiling = await loadDriver(async () => {
          await lookup();
          const page = driver.backend === 'postgres' ? (await driver.pool.query(PAGE_SQL, [userId])).rows : sqliteQuery!.all(userId);
          if (page.length !== expected) throw new Error('short page');
        }, connections);
        const scenario = `GET /api/chat/messages (50 of ${count.toLocaleString('en-US')})`;
        return { backend: b.backend, scenario, connections, route, ceiling, ceilingName: 'driver lookup + keyset page', target: readTarget(b.backend, connections) };
      })),
    );
    const plan = await explainPage(b, userId);
    if (plan) notes.push(`${b.backend}: EXPLAIN (ANALYZE, BUFFERS) of the page query, ${count.toLocaleString('en-US')} messages, after ANALYZE:\n${plan}`);
  }
  for (const small of rows.filter((r) => r.scenario.includes('50 of 10)'))) {
    const large = rows.find((r) => r.scenario.includes('100,000') && r.connections === small.connections)!;
    notes.push(
      `${b.backend}: chat page at ${small.connections} connections: 50 of 100,000 costs ${(small.route.rps / large.route.rps).toFixed(2)}× 50 of 10 (target ≤ 1.5×)`,
    );
  }
  return { rows, notes };
}
