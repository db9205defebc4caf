import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import { BACKENDS, createTestDatabase, type TestDatabase } from '../testing/databases.js';
import { multipartBody } from '../testing/fixtures.js';
import { runMosaic } from '../testing/mosaic-cli.js';
import { RATE_LIMITS_RAISED } from '../testing/rate-limits.js';
import { HttpClient, startServerProcess, type ServerProcess } from '../testing/server-process.js';
import { openDatabase } from '../db/connection.js';
import { migrateToLatest } from '../db/migrate.js';
import { backupDatabase, defaultBackupName } from './backup.js';
import { verifyDatabases } from './verify.js';

const PEOPLE = 5;
const WRITERS = 3;
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

interface Seeded {
  email: string;
  password: string;
  fileId: number;
  bytes: Buffer;
}

/** People with a workbook answer, a chat exchange and a ~200 KB file each. */
async function seedPeople(url: string): Promise<Seeded[]> {
  const seeded: Seeded[] = [];
  for (let n = 0; n < PEOPLE; n++) {
    const client = new HttpClient(url);
    const email = `backup-${n}@example.org`;
    const password = 'correct horse battery';
    assert.equal((await client.request('POST', '/api/auth/register', { email, password })).status, 201);
    assert.equal((await client.request('PUT', '/api/ps101', { revision: 0, answers: { '1.1': `answer ${n} ✓` } })).status, 200);
    assert.equal((await client.request('POST', '/api/chat/messages', { content: `message ${n}: I want to teach` })).status, 201);
    const bytes = Buffer.from(`file ${n}\n${'data analysis and reporting\n'.repeat(8000)}`);
    const body = multipartBody(bytes, `notes-${n}.txt`);
    const upload = await fetch(`${url}/api/files`, { method: 'POST', headers: { ...body.headers, cookie: client.cookie }, body: body.payload });
    assert.equal(upload.status, 201);
    seeded.push({ email, password, fileId: ((await upload.json()) as { file: { id: number } }).file.id, bytes });
  }
  return seeded;
}

/** Guests and chat messages from a few clients until `stop` is called; each acknowledged guest id with when it was acknowledged. */
function writeLoad(url: string) {
  const acknowledged: { userId: number; at: number }[] = [];
  let writing = true;
  const done = Promise.all(
    Array.from({ length: WRITERS }, async (_, n) => {
      for (let i = 0; writing && i < 500; i++) {
        const client = new HttpClient(url);
        const guest = await client.request('POST', '/api/auth/guest');
        assert.equal(guest.status, 201);
        acknowledged.push({ userId: guest.body.user.id, at: performance.now() });
        assert.equal((await client.request('POST', '/api/chat/messages', { content: `load ${n}.${i}` })).status, 201);
      }
    }),
  );
  return {
    acknowledged,
    stop: async () => {
      writing = false;
      await done;
    },
  };
}

for (const source of BACKENDS) {
  describe(`backup of a live server on ${source}`, () => {
    let database: TestDatabase;
    let server: ServerProcess | undefined;
    const cleanup: (() => Promise<void>)[] = [];
    let dir: string;
    before(async () => {
      database = await createTestDatabase(source);
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mosaic-backup-'));
    });
    after(async () => {
      await server?.stop('SIGKILL');
      for (const step of cleanup) await step();
      await database.drop();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it('backs up under writes into a verified SQLite file, and restores it into every backend', async () => {
      server = await startServerProcess(database, RATE_LIMITS_RAISED);
      const seeded = await seedPeople(server.url);
      const load = writeLoad(server.url);
      // Let the load get going, so the backup's snapshot starts in the middle of it.
      while (load.acknowledged.length < 5) await new Promise((r) => setTimeout(r, 20));
      const started = performance.now();
      const backup = await runMosaic(['db', 'backup', '--from', database.location, '--dir', path.join(dir, 'backups')]);
      const finished = performance.now();
      await load.stop();
      assert.equal(backup.code, 0, backup.stderr);
      assert.match(backup.stdout, /verified: \d+ tables match/);
      assert.match(backup.stderr, /^backup: \d+\/\d+ rows/m);
      assert.ok(load.acknowledged.some((w) => w.at > started && w.at < finished), 'writes were acknowledged while the backup ran');

      const names = fs.readdirSync(path.join(dir, 'backups'));
      assert.equal(names.length, 1, `one file, nothing partial left: ${names.join(', ')}`);
      assert.match(names[0]!, /^mosaic-\d{8}T\d{6}Z\.db$/);
      const file = path.join(dir, 'backups', names[0]!);

      // One self-contained file, consistent: everything acknowledged before the backup began,
      // every file row with its bytes, every coach reply with its metrics.
      const copy = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
      try {
        assert.equal(copy.pragma('journal_mode', { simple: true }), 'delete');
        const users = new Set(copy.prepare('select id from users').pluck().all() as number[]);
        for (const write of load.acknowledged.filter((w) => w.at < started)) assert.ok(users.has(write.userId), `guest ${write.userId}`);
        assert.equal(copy.prepare('select count(*) from files f left join file_contents c on c.file_id = f.id where c.file_id is null').pluck().get(), 0);
        assert.equal(
          copy.prepare("select count(*) from chat_messages m left join coach_metrics c on c.message_id = m.id where m.role = 'coach' and c.id is null").pluck().get(),
          0,
        );
      } finally {
        copy.close();
      }
      await server.stop('SIGTERM');
      server = undefined;

      for (const target of BACKENDS) {
        const restored = await createTestDatabase(target);
        cleanup.push(() => restored.drop());
        const restore = await runMosaic(['db', 'restore', '--from', file, '--to', restored.location]);
        assert.equal(restore.code, 0, restore.stderr);
        assert.match(restore.stdout, /verified: \d+ tables match/);
        assert.ok((await verifyDatabases(file, restored.location)).ok);

        if (target === BACKENDS[0]) {
          // Into a database that holds data: refused, unless --replace.
          const refused = await runMosaic(['db', 'restore', '--from', file, '--to', restored.location]);
          assert.equal(refused.code, 1);
          assert.match(refused.stderr, /is not empty/);
          const replaced = await runMosaic(['db', 'restore', '--from', file, '--to', restored.location, '--replace']);
          assert.equal(replaced.code, 0, replaced.stderr);
          assert.match(replaced.stdout, /verified: \d+ tables match/);
        }

        // The restored database serves: a person logs in and downloads their exact bytes.
        server = await startServerProcess(restored);
        const person = seeded[BACKENDS.indexOf(target)]!;
        const client = new HttpClient(server.url);
        assert.equal((await client.request('POST', '/api/auth/login', { email: person.email, password: person.password })).status, 200);
        const content = await client.request('GET', `/api/files/${person.fileId}/content`);
        assert.equal(content.status, 200);
        assert.equal(sha256(content.raw), sha256(person.bytes));
        await server.stop('SIGTERM');
        server = undefined;
      }
    });
  });
}

describe('mosaic db backup files', () => {
  it('never overwrites a file, and leaves nothing behind when the source is missing', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mosaic-backup-'));
    try {
      const existing = path.join(dir, 'taken.db');
      fs.writeFileSync(existing, 'keep me');
      await assert.rejects(backupDatabase({ from: path.join(dir, 'missing.db'), to: existing }), /already exists/);
      assert.equal(fs.readFileSync(existing, 'utf8'), 'keep me');
      await assert.rejects(backupDatabase({ from: path.join(dir, 'missing.db'), dir: path.join(dir, 'out') }), /no SQLite database/);
      assert.deepEqual(fs.readdirSync(path.join(dir, 'out')), []);
      assert.equal(defaultBackupName(new Date('2026-03-04T05:06:07.890Z')), 'mosaic-20260304T050607Z.db');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps the newest --keep backups of its directory and touches no other file', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mosaic-backup-'));
    try {
      const source = path.join(dir, 'live.db');
      const live = openDatabase({ backend: 'sqlite', file: source, synchronous: 'full' });
      await migrateToLatest(live.db);
      await live.close();
      const backups = path.join(dir, 'backups');
      fs.mkdirSync(backups);
      fs.writeFileSync(path.join(backups, 'notes.txt'), 'not a backup');
      const days = ['2026-01-01', '2026-01-02', '2026-01-03'];
      for (const day of days) {
        const result = await backupDatabase({ from: source, dir: backups, keep: 2, now: new Date(`${day}T03:00:00Z`) });
        assert.ok(result.verification.ok);
      }
      assert.deepEqual(fs.readdirSync(backups).sort(), ['mosaic-20260102T030000Z.db', 'mosaic-20260103T030000Z.db', 'notes.txt']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('mosaic db backup --keep and a failed restore', () => {
  let dir: string;
  let source: string;
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mosaic-backup-'));
    source = path.join(dir, 'live.db');
    const live = openDatabase({ backend: 'sqlite', file: source, synchronous: 'full' });
    await migrateToLatest(live.db);
    await live.close();
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('never deletes the backup it just wrote, even when a later-named one exists', async () => {
    const backups = path.join(dir, 'later');
    fs.mkdirSync(backups);
    const later = path.join(backups, 'mosaic-20990101T000000Z.db');
    fs.writeFileSync(later, 'a backup from a host whose clock runs ahead');
    const first = await backupDatabase({ from: source, dir: backups, keep: 2, now: new Date('2026-01-01T03:00:00Z') });
    assert.deepEqual(first.pruned, []);
    const second = await backupDatabase({ from: source, dir: backups, keep: 1, now: new Date('2026-01-02T03:00:00Z') });
    assert.ok(fs.existsSync(second.file), 'the backup just written is kept');
    assert.deepEqual(second.pruned.sort(), [first.file, later].sort());
    assert.deepEqual(fs.readdirSync(backups), ['mosaic-20260102T030000Z.db']);
    assert.ok((await verifyDatabases(source, second.file)).ok);
  });

  it('skips entries that are not backup files (a directory or a link named like one) and prunes past them', async () => {
    const backups = path.join(dir, 'mixed');
    fs.mkdirSync(backups);
    fs.mkdirSync(path.join(backups, 'mosaic-20250101T000000Z.db'));
    fs.writeFileSync(path.join(backups, 'mosaic-20250101T000000Z.db', 'inside.txt'), 'kept');
    fs.writeFileSync(path.join(dir, 'outside.db'), 'a file outside the directory');
    fs.symlinkSync(path.join(dir, 'outside.db'), path.join(backups, 'mosaic-20250102T000000Z.db'));
    const old = await backupDatabase({ from: source, dir: backups, now: new Date('2026-02-01T03:00:00Z') });
    const result = await backupDatabase({ from: source, dir: backups, keep: 1, now: new Date('2026-02-02T03:00:00Z') });
    assert.deepEqual(result.pruned, [old.file]);
    assert.deepEqual(fs.readdirSync(backups).sort(), [
      'mosaic-20250101T000000Z.db',
      'mosaic-20250102T000000Z.db',
      'mosaic-20260202T030000Z.db',
    ]);
    assert.equal(fs.readFileSync(path.join(dir, 'outside.db'), 'utf8'), 'a file outside the directory');
  });

  it('a restore that fails leaves no file at a new target path', async () => {
    const notBackup = path.join(dir, 'not-a-backup.db');
    new BetterSqlite3(notBackup).exec('create table t (x integer)');
    const target = path.join(dir, 'restored', 'mosaic.db');
    fs.mkdirSync(path.dirname(target));
    const restore = await runMosaic(['db', 'restore', '--from', notBackup, '--to', target]);
    assert.notEqual(restore.code, 0);
    assert.match(restore.stderr, /no Mosaic schema/);
    assert.deepEqual(fs.readdirSync(path.dirname(target)), [], 'no database file, no -wal or -shm beside it');
  });

  it('a failed restore into an existing file keeps that file', async () => {
    const existing = path.join(dir, 'existing.db');
    fs.copyFileSync(source, existing);
    const restore = await runMosaic(['db', 'restore', '--from', path.join(dir, 'missing.db'), '--to', existing]);
    assert.notEqual(restore.code, 0);
    assert.ok(fs.existsSync(existing));
    assert.ok((await verifyDatabases(source, existing)).ok);
  });
});
