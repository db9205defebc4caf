import { multipartBody } from '../../src/testing/fixtures.js';
import { type BenchBackend } from '../backends.js';
import { loadDriver, loadRoute } from '../load.js';
import { atEachLevel, type Row } from '../report.js';
import { readTarget, sessionLookupFor } from './auth-me.js';

const LISTS = [
  {
    // The workbook read: the live run of the person's PS101.
    path: '/api/ps101',
    sql: 'select * from ps101_runs where user_id = $1 and archived_at is null',
  },
  {
    path: '/api/jobs/matches',
    sql: 'select * from job_matches where user_id = $1 order by current desc, rank asc, score desc, id asc',
  },
  {
    path: '/api/files',
    sql:
      'select id, user_id, name, content_type, size, sha256, created_at, text_content is not null as has_text ' +
      'from files where user_id = $1 order by id desc',
  },
  {
    path: '/api/resumes',
    sql: 'select id, name, file_id, job_match_id, created_at, updated_at from resumes where user_id = $1 order by id desc',
  },
];

const TEXT =
  'Analyst with eight years in logistics: I built SQL reports, trained teams of twelve, cut delivery delays by 18 %, ' +
  'and want to move into data analysis or teaching. I value autonomy, stability and helping my community.';

/** A person with 20 job matches, 5 files and 5 résumés. */
async function seedPerson(b: BenchBackend) {
  const client = await b.newUser();
  const saved = await client.request('PUT', '/api/ps101', { answers: { '1.1': TEXT, '1.2': TEXT, '2.1': TEXT }, revision: 0 });
  if (saved.status !== 200) throw new Error(`workbook failed: ${saved.status}`);
  const refreshed = await client.request('POST', '/api/jobs/matches/refresh');
  if (refreshed.status !== 200 || refreshed.body.matches.length === 0) throw new Error('no job matches to list');
  for (let i = 0; i < 5; i++) {
    const { payload, headers } = multipartBody(Buffer.from(`${TEXT} (${i})`), `notes-${i}.txt`, { declaredType: 'text/plain' });
    const response = await fetch(`${b.server.url}/api/files`, { method: 'POST', headers: { cookie: client.cookie, ...headers }, body: payload });
    if (response.status !== 201) throw new Error(`upload failed: ${response.status}`);
    const resume = await client.request('POST', '/api/resumes', { name: `Résumé ${i}`, content: `${TEXT} (${i})` });
    if (resume.status !== 201) throw new Error(`résumé failed: ${resume.status}`);
  }
  return client;
}

/** The workbook read and the match, file and résumé lists, each against its query (and the session lookup) by driver. */
export async function benchLists(b: BenchBackend): Promise<Row[]> {
  const client = await seedPerson(b);
  const userId = (await client.request('GET', '/api/auth/me')).body.user.id as number;
  const lookup = sessionLookupFor(b, client.cookie);
  const driver = b.driver;
  const rows: Row[] = [];
  for (const list of LISTS) {
    const statement = driver.backend === 'sqlite' ? driver.sqlite.prepare(list.sql.replace('$1', '?')) : null;
    rows.push(
      ...(await atEachLevel(async (connections) => {
        const route = await loadRoute(b.server.url, { path: list.path, headers: { cookie: client.cookie } }, connections);
        const ceiling = await loadDriver(async () => {
          await lookup();
          const result = driver.backend === 'postgres' ? (await driver.pool.query(list.sql, [userId])).rows : statement!.all(userId);
          if (result.length === 0) throw new Error('empty list');
        }, connections);
        return {
          backend: b.backend,
          scenario: `GET ${list.path}`,
          connections,
          route,
          ceiling,
          ceilingName: 'driver lookup + list',
          target: readTarget(b.backend, connections),
          request: { path: list.path, headers: { cookie: client.cookie } },
        };
      })),
    );
  }
  return rows;
}
