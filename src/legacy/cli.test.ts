import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { openDatabase } from '../db/connection.js';
import { BACKENDS, createTestDatabase, type TestDatabase } from '../testing/databases.js';
import { damagedLegacyData, generatedLegacyData, tempDir, writeLegacySource, type LegacySourceDatabase } from '../testing/legacy-fixtures.js';
import { runMosaic } from '../testing/mosaic-cli.js';
import { databaseEnv } from '../testing/server-process.js';

const BIN = fileURLToPath(new URL('../../bin/mosaic.js', import.meta.url));

/** Everything the import wrote, in a form two databases can be compared by (ids aside). */
async function importedState(database: TestDatabase): Promise<unknown> {
  const opened = openDatabase(database.config);
  try {
    const db = opened.db;
    const users = await db
      .selectFrom('users')
      .innerJoin('legacy_accounts', 'legacy_accounts.user_id', 'users.id')
      .select(['legacy_accounts.legacy_id', 'legacy_accounts.email as legacyEmail', 'users.email', 'users.password_hash', 'users.created_at', 'users.last_active_at'])
      .orderBy('legacy_accounts.legacy_id')
      .execute();
    const sessions = await db.selectFrom('legacy_sessions').select(['session_hash', 'claimed_at', 'removed_at']).orderBy('session_hash').execute();
    const items = (await db.selectFrom('legacy_items').select(['kind', 'legacy_id', 'session_hash', 'created_at', 'data', 'content']).execute())
      .map((i) => ({ ...i, content: i.content ? createHash('sha256').update(i.content).digest('hex') : null }))
      .sort((a, b) => (a.legacy_id < b.legacy_id ? -1 : 1));
    const userCount = await db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return { users, sessions, items, userCount: Number(userCount.n) };
  } finally {
    await opened.close();
  }
}

async function countOf(database: TestDatabase, table: 'users' | 'legacy_items'): Promise<number> {
  const opened = openDatabase(database.config);
  try {
    const tables = await opened.db.introspection.getTables();
    if (!tables.some((t) => t.name === table)) return 0;
    const row = await opened.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(row.n);
  } finally {
    await opened.close();
  }
}

/** Starts the import as a real child process and SIGKILLs it once `table` holds more than `rows` rows. */
async function killMidImport(args: string[], database: TestDatabase, table: 'users' | 'legacy_items', rows: number): Promise<boolean> {
  const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'warn', ...databaseEnv(database) };
  if (database.config.backend === 'sqlite') delete env.DATABASE_URL;
  const child = spawn(process.execPath, [BIN, ...args], { env, stdio: 'ignore' });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  let done = false;
  void exited.then(() => (done = true));
  while (!done) {
    if ((await countOf(database, table)) > rows) {
      child.kill('SIGKILL');
      await exited;
      return true;
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  return false;
}

for (const backend of BACKENDS) {
  describe(`mosaic import-legacy (a real process) into ${backend}`, () => {
    const made: { drop(): Promise<void> | void }[] = [];
    let uploads: string;
    let source: LegacySourceDatabase;
    before(async () => {
      const dir = tempDir('legacy-volume-');
      made.push({ drop: () => fs.rmSync(dir, { recursive: true, force: true }) });
      uploads = path.join(dir, 'uploads');
      fs.mkdirSync(uploads);
      source = await writeLegacySource('sqlite', generatedLegacyData(300, 10, uploads, 10));
      made.push(source);
    });
    after(async () => {
      for (const m of made.splice(0)) await m.drop();
    });

    it('killed (SIGKILL) twice mid-import, then run again, ends exactly as one uninterrupted run', async () => {
      const args = ['import-legacy', '--from', source.location, '--uploads', uploads, '--batch-size', '25'];
      const whole = await createTestDatabase(backend);
      const killed = await createTestDatabase(backend);
      made.push(whole, killed);
      const clean = await runMosaic(args, databaseEnv(whole));
      assert.equal(clean.code, 0, clean.stderr);
      assert.ok(await killMidImport(args, killed, 'users', 100), 'killed while importing accounts');
      assert.ok(await killMidImport(args, killed, 'legacy_items', 1500), 'killed while importing work');
      const rerun = await runMosaic(args, databaseEnv(killed));
      assert.equal(rerun.code, 0, rerun.stderr);
      assert.match(rerun.stdout, /wimd_outputs\s+3000 read,\s+\d+ imported,\s+\d+ already there/);
      assert.deepEqual(await importedState(killed), await importedState(whole));
      const state = (await importedState(whole)) as { users: unknown[]; items: unknown[] };
      assert.equal(state.users.length, 300);
      assert.equal(state.items.length, 300 + 3000 + 30 + 30 + 30);
    });

    it('writes the report as JSON; a dry run writes nothing; a source that is not the predecessor’s exits 2 with one line', async () => {
      const fixture = damagedLegacyData('sqlite');
      const damaged = await writeLegacySource('sqlite', fixture.rows);
      made.push(damaged, { drop: fixture.cleanup });
      const target = await createTestDatabase(backend);
      made.push(target);
      const reportFile = path.join(fixture.uploads, '..', 'report.json');

      const dry = await runMosaic(['import-legacy', '--from', damaged.location, '--uploads', fixture.uploads, '--dry-run'], databaseEnv(target));
      assert.equal(dry.code, 0, dry.stderr);
      assert.match(dry.stdout, /dry run: nothing written/);
      assert.match(dry.stdout, /users\s+6 read,\s+5 would import/);
      assert.equal(await countOf(target, 'users'), 0);

      const run = await runMosaic(['import-legacy', '--from', damaged.location, '--uploads', fixture.uploads, '--report', reportFile], databaseEnv(target));
      assert.equal(run.code, 0, run.stderr);
      const report = JSON.parse(fs.readFileSync(reportFile, 'utf8'));
      assert.equal(report.counts.users.imported, 5);
      assert.equal(report.counts.problems, report.problems.length);
      for (const problem of report.problems) {
        assert.deepEqual(Object.keys(problem).sort(), ['legacyId', 'reason', 'table']);
        assert.equal(typeof problem.reason, 'string');
      }
      const status = await runMosaic(['import-legacy', '--status'], databaseEnv(target));
      assert.equal(status.code, 0, status.stderr);
      assert.match(status.stdout, /sessions: 3 unclaimed, 0 claimed, 0 removed/);

      const notLegacy = tempDir('not-legacy-');
      made.push({ drop: () => fs.rmSync(notLegacy, { recursive: true, force: true }) });
      fs.writeFileSync(path.join(notLegacy, 'text.db'), 'this is not a database at all, only words '.repeat(100));
      const cases: [string, RegExp][] = [
        [target.config.backend === 'sqlite' ? target.location : path.join(notLegacy, 'text.db'), /not the earlier Mosaic's database|cannot read the source/],
        [path.join(notLegacy, 'text.db'), /cannot read the source/],
        [path.join(notLegacy, 'missing.db'), /does not exist/],
        ['postgres://nobody@127.0.0.1:1/none', /cannot read the source database/],
      ];
      for (const [from, message] of cases) {
        const refused = await runMosaic(['import-legacy', '--from', from, '--uploads', fixture.uploads], databaseEnv(target));
        assert.equal(refused.code, 2, `${from}: ${refused.stderr}`);
        const lines = refused.stderr.trim().split('\n');
        assert.equal(lines.length, 1, refused.stderr);
        assert.match(lines[0]!, /^mosaic import-legacy: /);
        assert.match(lines[0]!, message);
      }
    });
  });
}
