import type BetterSqlite3 from 'better-sqlite3';
import { activityDays } from '../../src/coach/scores.js';
import { addSeconds, nowIso } from '../../src/db/values.js';
import { inPgTransaction, type BenchBackend } from '../backends.js';
import { loadRoute, writeCeilings } from '../load.js';
import { atEachLevel, type Row } from '../report.js';
import { sessionLookupFor, writeTarget } from './auth-me.js';

const CONTENT = 'I want to apply for two data analyst roles by Friday and ask a former colleague for advice.';

// What POST /api/chat/messages runs with the offline coach, in the same order: the hourly
// message limit counted in its own transaction (src/limits/store.ts's countHit, on a bucket of
// the ceiling's own), the message committed on its own, the workbook and the last 20 messages
// as context, the person's recent message times for momentum, then reply and metrics in one
// transaction: three commits, as the route makes.
const SQL = {
  countHit:
    'insert into rate_limits (bucket, hits, window_start, expires_at) values ($1, 1, $2, $3) on conflict (bucket) do update set ' +
    'hits = case when rate_limits.expires_at <= $4 then 1 else rate_limits.hits + 1 end, ' +
    'window_start = case when rate_limits.expires_at <= $5 then $6 else rate_limits.window_start end, ' +
    'expires_at = case when rate_limits.expires_at <= $7 then $8 else rate_limits.expires_at end ' +
    'where rate_limits.expires_at <= $9 or rate_limits.hits < $10 returning expires_at',
  insertMessage: 'insert into chat_messages (user_id, role, content, provider, created_at) values ($1, $2, $3, $4, $5) returning *',
  workbook: 'select * from ps101_runs where user_id = $1 and archived_at is null',
  recent: 'select * from chat_messages where user_id >= $1 and user_id <= $2 order by user_id desc, id desc limit 20',
  insertMetrics:
    'insert into coach_metrics (user_id, message_id, clarity, action, momentum, created_at) values ($1, $2, $3, $4, $5, $6) returning *',
};
const sqlite = (text: string) => text.replace(/\$\d+/g, '?');

/** The momentum's active-day probes as the store sends them: one `exists` per day of the window. */
function activeDaysQuery(backend: 'postgres' | 'sqlite', userId: number): { text: string; values: unknown[] } {
  const values: unknown[] = [];
  const bind = (value: unknown) => {
    values.push(value);
    return backend === 'postgres' ? `$${values.length}` : '?';
  };
  const probes = activityDays(new Date()).map((day, i) => {
    const range = `created_at ${day.fromExclusive ? '>' : '>='} ${bind(day.from)}${day.to ? ` and created_at < ${bind(day.to)}` : ''}`;
    return `exists (select 1 as one from chat_messages where user_id = ${bind(userId)} and role = ${bind('user')} and ${range}) as day${i}`;
  });
  return { text: `select ${probes.join(', ')}`, values };
}

/** POST /api/chat/messages with the offline coach, against its statements by driver. */
export async function benchChatWrite(b: BenchBackend): Promise<Row[]> {
  const client = await b.newUser();
  const userId = (await client.request('GET', '/api/auth/me')).body.user.id as number;
  const lookup = sessionLookupFor(b, client.cookie);
  const driver = b.driver;
  const prepared =
    driver.backend === 'sqlite'
      ? Object.fromEntries(Object.entries(SQL).map(([name, text]) => [name, driver.sqlite.prepare(sqlite(text))]))
      : null;
  const daysStatements = new Map<string, ReturnType<BetterSqlite3.Database['prepare']>>();
  const bucket = `chat-messages-ceiling:${userId}`;
  const write = async () => {
    await lookup();
    const now = nowIso();
    const windowEnd = addSeconds(now, 3600);
    const hit = [bucket, now, windowEnd, now, now, now, now, windowEnd, now, 1_000_000_000];
    const days = activeDaysQuery(driver.backend, userId);
    if (driver.backend === 'postgres') {
      await inPgTransaction(driver.pool, (client) => client.query(SQL.countHit, hit));
      await driver.pool.query(SQL.insertMessage, [userId, 'user', CONTENT, null, now]);
      await driver.pool.query(SQL.workbook, [userId]);
      await driver.pool.query(SQL.recent, [userId, userId]);
      await driver.pool.query(days.text, days.values);
      await inPgTransaction(driver.pool, async (client) => {
        const { rows } = await client.query(SQL.insertMessage, [userId, 'coach', CONTENT, 'offline', now]);
        await client.query(SQL.insertMetrics, [userId, rows[0].id, 50, 50, 50, now]);
      });
      return;
    }
    const s = prepared!;
    driver.sqlite.transaction(() => s.countHit!.get(hit))();
    s.insertMessage!.get(userId, 'user', CONTENT, null, now);
    s.workbook!.get(userId);
    s.recent!.all(userId, userId);
    let probe = daysStatements.get(days.text);
    if (!probe) daysStatements.set(days.text, (probe = driver.sqlite.prepare(days.text)));
    probe.get(days.values);
    driver.sqlite.transaction(() => {
      const reply = s.insertMessage!.get(userId, 'coach', CONTENT, 'offline', now) as { id: number };
      s.insertMetrics!.get(userId, reply.id, 50, 50, 50, now);
    })();
  };
  return atEachLevel(async (connections) => {
    const route = await loadRoute(
      b.server.url,
      {
        path: '/api/chat/messages',
        method: 'POST',
        headers: { cookie: client.cookie, 'content-type': 'application/json' },
        body: JSON.stringify({ content: CONTENT }),
      },
      connections,
    );
    const { ceiling, ceilingNormal } = await writeCeilings(b, write, connections);
    return {
      backend: b.backend,
      scenario: 'POST /api/chat/messages (offline coach)',
      connections,
      route,
      ceiling,
      ...(ceilingNormal ? { ceilingNormal } : {}),
      ceilingName: 'driver, same statements',
      target: writeTarget(b.backend, connections),
    };
  });
}
