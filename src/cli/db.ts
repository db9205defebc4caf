import { InvalidArgumentError, type Command } from 'commander';
import { loadConfig } from '../config.js';
import { openDatabase, type Database } from '../db/connection.js';
import { migrateToLatest, migrationStatus } from '../db/migrate.js';

async function withDatabase<T>(run: (database: Database) => Promise<T>): Promise<T> {
  const database = openDatabase(loadConfig().database);
  try {
    return await run(database);
  } finally {
    await database.close();
  }
}

export function registerDbCommands(program: Command): void {
  const db = program.command('db').description('database maintenance');

  db.command('migrate')
    .description('apply pending migrations to the configured database (DATABASE_URL or the SQLite file)')
    .option('--if-postgres', 'do nothing unless DATABASE_URL is set (for a pre-deploy step that has no volume)')
    .action((options: { ifPostgres?: boolean }) => {
      if (options.ifPostgres && !process.env.DATABASE_URL?.trim()) {
        console.log('DATABASE_URL is not set: skipping (SQLite is migrated by `mosaic serve` at start, where its volume is mounted)');
        return;
      }
      return withDatabase(async (database) => {
        const results = await migrateToLatest(database.db);
        for (const result of results) console.log(`applied ${result.migrationName}`);
        const status = await migrationStatus(database.db);
        console.log(
          `${database.backend} at ${database.location}: schema version ${status.schemaVersion}` +
            (results.length === 0 ? ' (already up to date)' : ''),
        );
      });
    });

  db.command('status')
    .description('list applied and pending migrations of the configured database')
    .action(() =>
      withDatabase(async (database) => {
        const status = await migrationStatus(database.db);
        console.log(`${database.backend} at ${database.location}`);
        for (const m of status.applied) console.log(`  applied  ${m.name}  ${m.appliedAt}`);
        for (const name of status.pending) console.log(`  pending  ${name}`);
        for (const name of status.unknown) console.log(`  unknown  ${name}  (newer than this build)`);
        console.log(`schema version ${status.schemaVersion} of ${status.latestVersion}; ${status.pending.length} pending`);
      }),
    );

  db.command('copy')
    .description('copy every table from one database to another (postgres://… URL or SQLite file path), then verify')
    .requiredOption('--from <location>', 'the source: a postgres:// URL or a SQLite file')
    .requiredOption('--to <location>', 'the target: a postgres:// URL or a SQLite file (created if missing)')
    .option('--replace', 'empty a non-empty target first, in the same transaction as the copy')
    .option('--resume', 'commit per batch; a rerun continues after the last committed row of each table')
    .option('--batch-size <rows>', 'rows per batch', positiveInteger)
    .action(async (options: { from: string; to: string; replace?: boolean; resume?: boolean; batchSize?: number }) => {
      // The copy modules load only for these commands, not in every `mosaic serve`.
      const [{ copyDatabase }, { createProgressReporter }] = await Promise.all([
        import('../datacopy/copy.js'),
        import('../datacopy/progress.js'),
      ]);
      const progress = createProgressReporter();
      let result;
      try {
        result = await copyDatabase({
          from: options.from,
          to: options.to,
          replace: options.replace ?? false,
          resume: options.resume ?? false,
          ...(options.batchSize ? { batchRows: options.batchSize } : {}),
          onProgress: (p) => progress.update(p),
        });
      } finally {
        progress.stop();
      }
      console.log(`copied ${result.rows} rows in ${result.tables.length} tables in ${result.seconds.toFixed(1)} s (schema version ${result.schemaVersion})`);
      await printVerification(options.from, options.to);
    });

  db.command('verify')
    .description('compare two databases table by table: row counts and content checksums')
    .requiredOption('--from <location>', 'one database: a postgres:// URL or a SQLite file')
    .requiredOption('--to <location>', 'the other database')
    .action(async (options: { from: string; to: string }) => printVerification(options.from, options.to));
}

async function printVerification(from: string, to: string): Promise<void> {
  const { formatVerification, verifyDatabases } = await import('../datacopy/verify.js');
  const verification = await verifyDatabases(from, to);
  console.log(formatVerification(verification));
  if (!verification.ok) process.exitCode = 4;
}

function positiveInteger(raw: string): number {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new InvalidArgumentError('expected a whole number of at least 1');
  return value;
}
