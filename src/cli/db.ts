import { InvalidArgumentError, type Command } from 'commander';
import { loadConfig, type Config } from '../config.js';
import { openDatabase, type Database } from '../db/connection.js';
import { migrateToLatest, migrationStatus } from '../db/migrate.js';
import type { CopyOptions, CopyProgress } from '../datacopy/copy.js';

async function withDatabase<T>(run: (database: Database, config: Config) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const database = openDatabase(config.database);
  try {
    return await run(database, config);
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
      return withDatabase(async (database, config) => {
        const lockTimeoutMs = config.database.backend === 'postgres' ? config.database.migrationLockTimeoutMs : undefined;
        const results = await migrateToLatest(database.db, undefined, lockTimeoutMs ? { lockTimeoutMs } : {});
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
    .action((options: { from: string; to: string; replace?: boolean; resume?: boolean; batchSize?: number }) =>
      copyThenVerify('copy', {
        from: options.from,
        to: options.to,
        replace: options.replace ?? false,
        resume: options.resume ?? false,
        ...(options.batchSize ? { batchRows: options.batchSize } : {}),
      }),
    );

  db.command('backup')
    .description('write a verified SQLite snapshot of the live database (either backend) while it serves')
    .option('--to <file>', 'the backup file (refused if it exists); default <dir>/mosaic-<UTC timestamp>.db')
    .option('--dir <dir>', 'where a backup without --to goes', 'backups')
    .option('--from <location>', 'the database to back up; default the configured one (DATABASE_URL or MOSAIC_DATA_DIR)')
    .option('--keep <n>', 'after a verified backup into --dir, delete all but the newest n backups there', positiveInteger)
    .action(async (options: { to?: string; dir: string; from?: string; keep?: number }) => {
      const [{ backupDatabase }, { formatVerification }] = await Promise.all([import('../datacopy/backup.js'), import('../datacopy/verify.js')]);
      const result = await withProgress('backup', (onProgress) =>
        backupDatabase({
          from: options.from ?? configuredLocation(),
          dir: options.dir,
          ...(options.to ? { to: options.to } : {}),
          ...(options.keep ? { keep: options.keep } : {}),
          onProgress,
        }),
      );
      console.log(formatVerification(result.verification));
      console.log(
        `backed up ${result.rows} rows in ${result.tables.length} tables (schema version ${result.schemaVersion}) ` +
          `to ${result.file} (${result.bytes} bytes) in ${result.seconds.toFixed(1)} s`,
      );
      for (const file of result.pruned) console.log(`deleted old backup ${file}`);
    });

  db.command('restore')
    .description('copy a backup file into a database (postgres:// URL or SQLite file), then verify')
    .requiredOption('--from <file>', 'the backup file (a SQLite file written by mosaic db backup)')
    .requiredOption('--to <location>', 'the database to restore into: a postgres:// URL or a SQLite file')
    .option('--replace', 'empty a non-empty target first, in the same transaction as the restore')
    .action((options: { from: string; to: string; replace?: boolean }) =>
      copyThenVerify('restore', { from: options.from, to: options.to, replace: options.replace ?? false }),
    );

  db.command('verify')
    .description('compare two databases table by table: row counts and content checksums')
    .requiredOption('--from <location>', 'one database: a postgres:// URL or a SQLite file')
    .requiredOption('--to <location>', 'the other database')
    .action(async (options: { from: string; to: string }) => printVerification(options.from, options.to));
}

/** Runs a copy with a progress bar (or lines) on stderr labelled `label`. */
async function withProgress<T>(label: string, run: (onProgress: (progress: CopyProgress) => void) => Promise<T>): Promise<T> {
  // The copy modules load only for these commands, not in every `mosaic serve`.
  const { createProgressReporter } = await import('../datacopy/progress.js');
  const progress = createProgressReporter(process.stderr, 2000, label);
  try {
    return await run((p) => progress.update(p));
  } finally {
    progress.stop();
  }
}

/** `db copy` and `db restore`: the copy, its summary line, then the verification table. */
async function copyThenVerify(label: 'copy' | 'restore', options: CopyOptions): Promise<void> {
  const { copyDatabase } = await import('../datacopy/copy.js');
  const result = await withProgress(label, (onProgress) => copyDatabase({ ...options, onProgress }));
  console.log(
    `${label === 'copy' ? 'copied' : 'restored'} ${result.rows} rows in ${result.tables.length} tables in ${result.seconds.toFixed(1)} s ` +
      `(schema version ${result.schemaVersion})`,
  );
  await printVerification(options.from, options.to);
}

async function printVerification(from: string, to: string): Promise<void> {
  const { formatVerification, verifyDatabases } = await import('../datacopy/verify.js');
  const verification = await verifyDatabases(from, to);
  console.log(formatVerification(verification));
  if (!verification.ok) process.exitCode = 4;
}

/** The configured database as `db copy` names locations: the URL, or the SQLite file. */
function configuredLocation(): string {
  const database = loadConfig().database;
  return database.backend === 'postgres' ? database.url : database.file;
}

function positiveInteger(raw: string): number {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new InvalidArgumentError('expected a whole number of at least 1');
  return value;
}
