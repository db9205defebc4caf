import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { BACKENDS, createTestDatabase, type TestDatabase } from '../testing/databases.js';
import { startServerProcess, type ServerProcess } from '../testing/server-process.js';
import { DATA_KINDS, type DataKind } from './kinds.js';
import { persistenceAfter, persistenceBefore, type CheckRow } from './run.js';

const BIN = fileURLToPath(new URL('../../bin/mosaic.js', import.meta.url));

/** A kind served by every deployment (the account itself), written before and checked after. */
const accountKind: DataKind = {
  name: 'account email',
  async write(client) {
    const me = await client.request('GET', '/api/auth/me');
    return { status: 'written', data: { email: me.body.user.email } };
  },
  async check(client, data) {
    const me = await client.request('GET', '/api/auth/me');
    return me.body?.user?.email === data.email ? { ok: true, detail: 'same email' } : { ok: false, detail: 'email differs' };
  },
};

/** A kind whose data is served but does not come back as written: it must fail, never be skipped. */
const lostKind: DataKind = {
  name: 'lost data',
  write: async () => ({ status: 'written', data: { email: 'someone-else@example.org' } }),
  check: accountKind.check,
};

function runCli(args: string[]): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.on('exit', (code) => resolve({ code, stdout }));
  });
}

const resultOf = (rows: CheckRow[], check: string) => rows.find((r) => r.check === check);

for (const backend of BACKENDS) {
  describe(`mosaic verify-persistence across a restart on ${backend}`, () => {
    let database: TestDatabase;
    let server: ServerProcess;
    let stateFile: string;
    before(async () => {
      database = await createTestDatabase(backend);
      stateFile = path.join(database.dataDir, 'canary.json');
    });
    after(async () => {
      await server?.stop();
      await database.drop();
    });

    it('writes a canary before and finds it all after the server restarts on the same database', async () => {
      server = await startServerProcess(database);
      const kinds = [...DATA_KINDS, accountKind, lostKind];
      const beforeRows = await persistenceBefore({ url: server.url, stateFile, kinds });
      assert.equal(resultOf(beforeRows, 'register canary user')?.result, 'pass');
      assert.equal(resultOf(beforeRows, 'write account email')?.result, 'pass');
      assert.equal(fs.statSync(stateFile).mode & 0o777, 0o600);
      const state = JSON.parse(fs.readFileSync(stateFile, 'utf8'));
      assert.match(state.cookie, /^mosaic_session=/);
      assert.ok(state.password.length >= 20);

      assert.equal(await server.stop(), 0);
      server = await startServerProcess(database, {}, server.port);

      const rows = await persistenceAfter({ url: server.url, stateFile, kinds });
      assert.equal(resultOf(rows, 'old session still valid')?.result, 'pass', JSON.stringify(rows));
      assert.equal(resultOf(rows, 'fresh login')?.result, 'pass');
      assert.equal(resultOf(rows, 'account email')?.result, 'pass');
      // Served and not as written: a failure, not a skip.
      assert.equal(resultOf(rows, 'lost data')?.result, 'fail');
      for (const kind of DATA_KINDS) {
        // This build serves every kind, so each must have been written and found again.
        assert.equal(resultOf(beforeRows, `write ${kind.name}`)?.result, 'pass', JSON.stringify(beforeRows));
        assert.equal(resultOf(rows, kind.name)?.result, 'pass', JSON.stringify(rows));
      }
    });

    if (backend === BACKENDS[0]) {
      it('the command prints the table and exits non-zero when a check fails', async () => {
        const cliState = path.join(database.dataDir, 'cli-canary.json');
        const first = await runCli(['verify-persistence', '--url', server.url, '--phase', 'before', '--state-file', cliState]);
        assert.equal(first.code, 0, first.stdout);
        assert.match(first.stdout, /register canary user +\| PASS/);
        assert.match(first.stdout, /canary saved to/);

        const state = JSON.parse(fs.readFileSync(cliState, 'utf8'));
        fs.writeFileSync(cliState, JSON.stringify({ ...state, password: 'not-the-password', cookie: 'mosaic_session=forged' }));
        const broken = await runCli(['verify-persistence', '--url', server.url, '--phase', 'after', '--state-file', cliState]);
        assert.equal(broken.code, 1);
        assert.match(broken.stdout, /old session still valid +\| FAIL/);
        assert.match(broken.stdout, /fresh login +\| FAIL/);
      });
    }
  });
}
