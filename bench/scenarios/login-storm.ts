import { spawn } from 'node:child_process';
import { DURATION_SECONDS, format, loadRoute, pinProcess, SERVER_CPU, type BenchBackend, type Measurement, type Row } from '../lib.js';

const PASSWORD = 'bench password 123';

/** Argon2id verifications/s in a process pinned like the server, with as many in flight. */
async function argon2Ceiling(concurrency: number): Promise<Measurement> {
  const child = spawn(process.execPath, ['--import', 'tsx', new URL('../argon2-ceiling.ts', import.meta.url).pathname], {
    env: { ...process.env, CONCURRENCY: String(concurrency), DURATION: String(DURATION_SECONDS) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  pinProcess(child.pid!, SERVER_CPU);
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  const code = await new Promise((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`argon2 ceiling failed (${code})`);
  return { rps: (JSON.parse(output) as { rps: number }).rps, p99Ms: 0, errors: 0 };
}

/**
 * Login storm: 20 connections logging in with the right password (one Argon2id verification
 * each) while 10 more read who-am-I. Successful logins/s against the machine's verification
 * ceiling; the p99 of the other route must stay under 50 ms.
 */
export async function benchLoginStorm(b: BenchBackend): Promise<{ rows: Row[]; notes: string[] }> {
  const client = await b.newUser();
  const email = (await client.request('GET', '/api/auth/me')).body.user.email as string;
  const logins = 20;
  const [storm, others] = await Promise.all([
    loadRoute(
      b.server.url,
      {
        path: '/api/auth/login',
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, password: PASSWORD }),
      },
      logins,
    ),
    loadRoute(b.server.url, { path: '/api/auth/me', headers: { cookie: client.cookie } }, 10),
  ]);
  const ceiling = await argon2Ceiling(logins);
  return {
    rows: [
      {
        backend: b.backend,
        scenario: 'POST /api/auth/login storm (right password)',
        connections: logins,
        route: storm,
        ceiling,
        ceilingName: 'Argon2id verify ceiling',
        target: { ratioAtLeast: 0.8 },
      },
      {
        backend: b.backend,
        scenario: 'GET /api/auth/me during the login storm',
        connections: 10,
        route: others,
        ceiling: others,
        ceilingName: '(itself)',
        target: { p99Below: 50 },
      },
    ],
    notes: [
      `${b.backend}: login storm: ${format(storm.rps, 1)} logins/s = ${format(storm.rps / ceiling.rps, 2)} of ${format(ceiling.rps, 1)} Argon2id verifications/s; who-am-I meanwhile ${format(others.rps)} req/s, p99 ${format(others.p99Ms, 1)} ms`,
    ],
  };
}
