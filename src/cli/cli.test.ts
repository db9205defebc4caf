import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { openDatabase } from '../db/connection.js';
import { BACKENDS, createTestDatabase, type TestDatabase } from '../testing/databases.js';
import { runMosaic as mosaic } from '../testing/mosaic-cli.js';
import { databaseEnv } from '../testing/server-process.js';

describe('mosaic command line', () => {
  it('documents each command with --help', async () => {
    for (const args of [['--help'], ['serve', '--help'], ['db', 'migrate', '--help'], ['db', 'status', '--help']]) {
      const outcome = await mosaic(args);
      assert.equal(outcome.code, 0, args.join(' '));
      assert.match(outcome.stdout, /Usage: mosaic/);
    }
  });

  const invalid: [string, Record<string, string>, RegExp][] = [
    ['a DATABASE_URL of another database', { DATABASE_URL: 'mysql://root@localhost/mosaic' }, /unsupported scheme "mysql:"/],
    ['a PORT that is not a number', { PORT: 'eighty' }, /PORT=eighty/],
    ['an unknown LOG_LEVEL', { LOG_LEVEL: 'loud' }, /LOG_LEVEL=loud/],
    ['an unknown MOSAIC_SQLITE_SYNCHRONOUS', { MOSAIC_SQLITE_SYNCHRONOUS: 'off' }, /MOSAIC_SQLITE_SYNCHRONOUS/],
    ['SMTP_URL without PUBLIC_URL in production', { NODE_ENV: 'production', SMTP_URL: 'smtp://mosaic:secret@127.0.0.1:2525' }, /SMTP_URL is set but PUBLIC_URL is not/],
    ['an SMTP_URL of another scheme', { SMTP_URL: 'https://mail.example.org' }, /SMTP_URL has unsupported scheme "https:"/],
  ];
  for (const [name, env, message] of invalid) {
    it(`exits 2 with one clear line for ${name}`, async () => {
      const outcome = await mosaic(['serve'], { MOSAIC_DATA_DIR: '/tmp/mosaic-never-created', ...env });
      assert.equal(outcome.code, 2);
      const lines = outcome.stderr.trim().split('\n');
      assert.equal(lines.length, 1, outcome.stderr);
      assert.match(lines[0]!, /^mosaic: invalid configuration: /);
      assert.match(lines[0]!, message);
    });
  }
});

for (const backend of BACKENDS) {
  describe(`mosaic db on ${backend}`, () => {
    let database: TestDatabase;
    before(async () => {
      database = await createTestDatabase(backend);
    });
    after(() => database.drop());

    it('status lists pending migrations, migrate applies them, status then lists them applied', async () => {
      const env = databaseEnv(database);
      const pending = await mosaic(['db', 'status'], env);
      assert.equal(pending.code, 0, pending.stderr);
      assert.match(pending.stdout, /pending {2}0001_accounts/);
      assert.match(pending.stdout, /schema version 0 of \d+/);
      const migrated = await mosaic(['db', 'migrate'], env);
      assert.equal(migrated.code, 0, migrated.stderr);
      assert.match(migrated.stdout, /applied 0001_accounts/);
      const again = await mosaic(['db', 'migrate'], env);
      assert.match(again.stdout, /already up to date/);
      const status = await mosaic(['db', 'status'], env);
      assert.match(status.stdout, /applied {2}0001_accounts/);
      assert.match(status.stdout, /; 0 pending/);
    });

    it('refuses to serve a database whose schema is newer than the code', async () => {
      const env = databaseEnv(database);
      await mosaic(['db', 'migrate'], env);
      const opened = openDatabase(database.config);
      try {
        await opened.db
          .insertInto('kysely_migration' as never)
          .values({ name: '9999_from_the_future', timestamp: new Date().toISOString() } as never)
          .execute();
      } finally {
        await opened.close();
      }
      const outcome = await mosaic(['serve'], { ...env, PORT: '0' });
      assert.equal(outcome.code, 3);
      assert.match(outcome.stderr, /schema is newer than this build of Mosaic .*9999_from_the_future/);
      const status = await mosaic(['db', 'status'], env);
      assert.match(status.stdout, /unknown {2}9999_from_the_future/);
    });
  });
}

if (BACKENDS.includes('postgres')) {
  describe('concurrent start-up on one PostgreSQL', () => {
    it('lets exactly one of several simultaneous migrations apply each migration', async () => {
      const database = await createTestDatabase('postgres');
      try {
        const outcomes = await Promise.all([1, 2, 3].map(() => mosaic(['db', 'migrate'], databaseEnv(database))));
        for (const outcome of outcomes) assert.equal(outcome.code, 0, outcome.stderr);
        const applied = outcomes.map((o) => (o.stdout.match(/applied 0001_accounts/g) ?? []).length);
        assert.equal(applied.reduce((a, b) => a + b, 0), 1, 'one process applied 0001, the others found it done');
        const opened = openDatabase(database.config);
        try {
          const rows = await opened.db.selectFrom('kysely_migration' as never).select('name' as never).execute();
          assert.equal(new Set(rows.map((r) => (r as { name: string }).name)).size, rows.length);
        } finally {
          await opened.close();
        }
      } finally {
        await database.drop();
      }
    });
  });
}
