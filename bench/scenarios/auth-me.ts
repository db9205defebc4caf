import { hashSessionToken } from '../../src/auth/sessions.js';
import { loadDriver, loadRoute, type BenchBackend, type Row } from '../lib.js';

// The query behind every authenticated request: the session by token hash, joined to its user.
const LOOKUP_SQL = {
  postgres:
    'select s.id, s.user_id, s.created_at, s.expires_at, s.refreshed_at, u.email, u.created_at as user_created_at ' +
    'from sessions s join users u on u.id = s.user_id where s.token_hash = $1',
  sqlite:
    'select s.id, s.user_id, s.created_at, s.expires_at, s.refreshed_at, u.email, u.created_at as user_created_at ' +
    'from sessions s join users u on u.id = s.user_id where s.token_hash = ?',
};

/** GET /api/auth/me with a valid session, against the same lookup through the driver. */
export async function benchAuthMe(b: BenchBackend): Promise<Row> {
  const client = await b.newUser();
  const tokenHash = hashSessionToken(client.cookie.split('=')[1]!);
  const route = await loadRoute(b.server.url, { path: '/api/auth/me', headers: { cookie: client.cookie } });
  const driver = b.driver;
  const statement = driver.backend === 'sqlite' ? driver.sqlite.prepare(LOOKUP_SQL.sqlite) : null;
  const ceiling = await loadDriver(async () => {
    const row = driver.backend === 'postgres'
      ? (await driver.pool.query(LOOKUP_SQL.postgres, [tokenHash])).rows[0]
      : statement!.get(tokenHash);
    if (!row) throw new Error('session not found');
  });
  return { backend: b.backend, scenario: 'GET /api/auth/me', route, ceiling, ceilingName: 'driver lookup' };
}
