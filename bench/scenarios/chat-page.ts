import { loadDriver, loadRoute, type BenchBackend, type Row } from '../lib.js';

const MESSAGES = 10_000;

async function seedMessages(b: BenchBackend, userId: number): Promise<void> {
  const base = Date.parse('2026-01-01T00:00:00.000Z');
  const rows = Array.from({ length: MESSAGES }, (_, i) => ({
    role: i % 2 === 0 ? 'user' : 'coach',
    content: `Message ${i}: I have been thinking about what a good next step would look like for me this month.`,
    provider: i % 2 === 0 ? null : 'offline',
    created_at: new Date(base + i * 60_000).toISOString(),
  }));
  const driver = b.driver;
  if (driver.backend === 'sqlite') {
    const insert = driver.sqlite.prepare('insert into chat_messages (user_id, role, content, provider, created_at) values (?, ?, ?, ?, ?)');
    driver.sqlite.transaction(() => {
      for (const row of rows) insert.run(userId, row.role, row.content, row.provider, row.created_at);
    })();
    return;
  }
  for (let i = 0; i < rows.length; i += 1000) {
    const chunk = rows.slice(i, i + 1000);
    const values = chunk.map((_, j) => `($1, $${j * 4 + 2}, $${j * 4 + 3}, $${j * 4 + 4}, $${j * 4 + 5})`).join(', ');
    await driver.pool.query(
      `insert into chat_messages (user_id, role, content, provider, created_at) values ${values}`,
      [userId, ...chunk.flatMap((r) => [r.role, r.content, r.provider, r.created_at])],
    );
  }
}

/** GET /api/chat/messages (newest page of 50) for a user with 10,000 messages, against the keyset query. */
export async function benchChatPage(b: BenchBackend): Promise<Row> {
  const client = await b.newUser();
  const userId = (await client.request('GET', '/api/auth/me')).body.user.id as number;
  await seedMessages(b, userId);
  const check = await client.request('GET', '/api/chat/messages?limit=50');
  if (check.status !== 200 || check.body.messages.length !== 50) throw new Error(`chat page failed: ${check.status}`);
  const route = await loadRoute(b.server.url, { path: '/api/chat/messages?limit=50', headers: { cookie: client.cookie } });
  const driver = b.driver;
  const sqliteQuery =
    driver.backend === 'sqlite'
      ? driver.sqlite.prepare('select id, role, content, provider, created_at from chat_messages where user_id = ? order by id desc limit 51')
      : null;
  const ceiling = await loadDriver(async () => {
    const rows =
      driver.backend === 'postgres'
        ? (await driver.pool.query('select id, role, content, provider, created_at from chat_messages where user_id = $1 order by id desc limit 51', [userId])).rows
        : sqliteQuery!.all(userId);
    if (rows.length !== 51) throw new Error('short page');
  });
  return { backend: b.backend, scenario: `GET /api/chat/messages (50 of ${MESSAGES / 1000}k)`, route, ceiling, ceilingName: 'driver keyset page' };
}
