import { nowIso } from '../../src/db/values.js';
import { readTarget, sessionLookupFor } from './auth-me.js';
import { atEachLevel, CONNECTION_LEVELS, loadDriver, loadRoute, type BenchBackend, type Row } from '../lib.js';

const ANSWER = 'I want work where I can see the difference I make. '.repeat(40).slice(0, 2048);

/**
 * Workbook autosave: PUT /api/ps101 with a 2 KB answer, each connection its own user with its
 * own revision (as separate people typing), against the same read-merge-write by the driver.
 */
export async function benchPs101Autosave(b: BenchBackend): Promise<Row[]> {
  const clients = await Promise.all(Array.from({ length: Math.max(...CONNECTION_LEVELS) }, () => b.newUser()));
  const revisions: number[] = [];
  for (const client of clients) {
    const first = await client.request('PUT', '/api/ps101', { answers: { '1.1': ANSWER }, revision: 0 });
    if (first.status !== 200) throw new Error(`autosave failed: ${first.status} ${JSON.stringify(first.body)}`);
    revisions.push(first.body.revision);
  }
  // autocannon resets a connection's context before every request, so users are lent out
  // instead: a request takes a user nobody is writing as, its response gives the user back
  // with the new revision. With one request in flight per connection, one user each suffices.
  const free = clients.map((_, user) => user);
  const userIds: number[] = [];
  for (const client of clients) userIds.push((await client.request('GET', '/api/auth/me')).body.user.id);
  const driver = b.driver;
  const lookups = clients.map((client) => sessionLookupFor(b, client.cookie));
  return atEachLevel(async (connections) => {
  const route = await loadRoute(b.server.url, {
    path: '/api/ps101',
    requests: [
      {
        method: 'PUT',
        setupRequest: (request, context) => {
          const user = free.shift();
          if (user === undefined) throw new Error('more requests in flight than users');
          (context as { user?: number }).user = user;
          return {
            ...request,
            headers: { 'content-type': 'application/json', cookie: clients[user]!.cookie },
            body: JSON.stringify({ answers: { '1.2': ANSWER }, revision: revisions[user] }),
          };
        },
        onResponse: (status, body, context) => {
          const user = (context as { user: number }).user;
          const parsed = JSON.parse(body);
          revisions[user] = status === 200 ? parsed.revision : parsed.error?.current?.revision ?? revisions[user];
          free.push(user);
        },
      },
    ],
  }, connections);

  const ceiling = await loadDriver(async (worker) => {
    const userId = userIds[worker % userIds.length]!;
    await lookups[worker % lookups.length]!();
    const now = nowIso();
    if (driver.backend === 'postgres') {
      const client = await driver.pool.connect();
      try {
        const { rows } = await client.query('select answers, revision from ps101_runs where user_id = $1 and archived_at is null', [userId]);
        const answers = { ...JSON.parse(rows[0].answers), '1.2': ANSWER };
        await client.query(
          'update ps101_runs set answers = $1, revision = revision + 1, updated_at = $2 where user_id = $3 and archived_at is null and revision = $4',
          [JSON.stringify(answers), now, userId, rows[0].revision],
        );
      } finally {
        client.release();
      }
    } else {
      const row = driver.sqlite
        .prepare('select answers, revision from ps101_runs where user_id = ? and archived_at is null')
        .get(userId) as { answers: string; revision: number };
      const answers = { ...JSON.parse(row.answers), '1.2': ANSWER };
      driver.sqlite
        .prepare('update ps101_runs set answers = ?, revision = revision + 1, updated_at = ? where user_id = ? and archived_at is null and revision = ?')
        .run(JSON.stringify(answers), now, userId, row.revision);
    }
  }, connections);
  return { backend: b.backend, scenario: 'PUT /api/ps101 (2 KB answer)', connections, route, ceiling, ceilingName: 'driver lookup + read + update', target: readTarget(b.backend, connections) };
  });
}
