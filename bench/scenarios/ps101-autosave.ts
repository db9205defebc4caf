import { nowIso } from '../../src/db/values.js';
import { sessionLookupFor, writeTarget } from './auth-me.js';
import { type BenchBackend } from '../backends.js';
import { loadRoute, writeCeilings } from '../load.js';
import { CONNECTION_LEVELS } from '../settings.js';
import { atEachLevel, type Row } from '../report.js';

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
  const userIds: number[] = [];
  for (const client of clients) userIds.push((await client.request('GET', '/api/auth/me')).body.user.id);
  const driver = b.driver;
  const lookups = clients.map((client) => sessionLookupFor(b, client.cookie));
  return atEachLevel(async (connections) => {
    // Each autocannon connection writes as its own user for the whole run. A user lent per
    // request and given back in onResponse leaks: after a socket error or timeout autocannon
    // reconnects and re-runs setupRequest without the onResponse, and the context it passes is
    // reset before every request, so it cannot carry the user either. setupClient runs once per
    // connection and setRequests gives that connection its own request, whose closures hold the
    // user. One request in flight per connection (no pipelining) means a user never races
    // itself; a response lost to a timeout costs at most one 409, whose body carries the
    // current revision the next request uses.
    // The previous level's driver ceiling bumped these revisions, and its last requests were
    // cut off with their responses unread: start each level from the stored revisions.
    for (const [user, client] of clients.entries()) {
      const current = await client.request('GET', '/api/ps101');
      if (current.status !== 200) throw new Error(`workbook read failed: ${current.status}`);
      revisions[user] = current.body.revision;
    }
    let nextUser = 0;
    const route = await loadRoute(b.server.url, {
      path: '/api/ps101',
      method: 'PUT',
      setupClient: (connection) => {
        const user = nextUser++;
        if (user >= clients.length) throw new Error(`more connections than users (${clients.length})`);
        connection.setRequests([
          {
            method: 'PUT',
            setupRequest: (request) => ({
              ...request,
              headers: { 'content-type': 'application/json', cookie: clients[user]!.cookie },
              body: JSON.stringify({ answers: { '1.2': ANSWER }, revision: revisions[user] }),
            }),
            onResponse: (status, body) => {
              // Only 200 and 409 carry a revision; anything else is counted as an error anyway.
              if (status !== 200 && status !== 409) return;
              const parsed = JSON.parse(body);
              revisions[user] = status === 200 ? parsed.revision : parsed.error?.current?.revision ?? revisions[user];
            },
          },
        ]);
      },
    }, connections);

    const { ceiling, ceilingNormal } = await writeCeilings(b, async (worker) => {
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
    return {
      backend: b.backend,
      scenario: 'PUT /api/ps101 (2 KB answer)',
      connections,
      route,
      ceiling,
      ...(ceilingNormal ? { ceilingNormal } : {}),
      ceilingName: 'driver lookup + read + update',
      target: writeTarget(b.backend, connections),
    };
  });
}
