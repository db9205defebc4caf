import fs from 'node:fs';
import { InvalidArgumentError, type Command } from 'commander';
import { loadConfig, type Config } from '../config.js';
import { openDatabase } from '../db/connection.js';
import { migrateToLatest } from '../db/migrate.js';

interface ImportLegacyOptions {
  from?: string;
  uploads?: string;
  dryRun?: boolean;
  report?: string;
  status?: boolean;
  batchSize?: number;
}

/** Exit status when the source is not the predecessor's database or cannot be read. */
const SOURCE_UNREADABLE = 2;

export function registerImportLegacy(program: Command): void {
  program
    .command('import-legacy')
    .description("import the earlier Mosaic's data (its SQLite file or PostgreSQL database, and its uploads) into the configured database")
    .option('--from <location>', "the earlier version's database: its SQLite file (data/mosaic.db) or a postgres:// URL")
    .option('--uploads <folder>', "the earlier version's uploads folder (data/uploads)")
    .option('--dry-run', 'read and check everything, write nothing, report what would be imported')
    .option('--report <file>', 'write the report (counts, and a problem entry per row not imported as it was) as JSON')
    .option('--status', 'show what is imported and still unclaimed, and exit')
    .option('--batch-size <rows>', 'source rows per batch (one transaction each)', positiveInteger)
    .action(async (options: ImportLegacyOptions) => {
      const config = loadConfig();
      if (options.status) return printStatus(config);
      await runImport(config, options);
    });
}

async function runImport(config: Config, options: ImportLegacyOptions): Promise<void> {
  const [{ openLegacySource, LegacySourceError }, { openUploadsFolder }, { importLegacy }, store, { createProgressReporter }] = await Promise.all([
    import('../legacy/source.js'),
    import('../legacy/files.js'),
    import('../legacy/importer.js'),
    import('../legacy/store.js'),
    import('../datacopy/progress.js'),
  ]);
  const refuse = (message: string): never => {
    console.error(`mosaic import-legacy: ${message}`);
    process.exit(SOURCE_UNREADABLE);
  };
  if (!options.from) refuse('--from is required: the SQLite file or postgres:// URL of the earlier version');
  if (!options.uploads) refuse('--uploads is required: the folder of the earlier version’s uploaded files');
  let source;
  try {
    source = await openLegacySource(options.from!);
    await source.checkSchema();
  } catch (error) {
    await source?.close().catch(() => {});
    if (error instanceof LegacySourceError) refuse(error.message);
    throw error;
  }
  const limits = config.extraction;
  const uploads = await openUploadsFolder(options.uploads!, {
    maxBytes: config.maxUploadMb * 1024 * 1024,
    archive: { maxUncompressedBytes: limits.archiveMaxUncompressedMb * 1024 * 1024, maxRatio: limits.archiveMaxRatio },
  }).catch((error: Error) => refuse(`cannot read the uploads folder ${options.uploads}: ${error.message}`));

  const dryRun = options.dryRun ?? false;
  // A dry run writes nothing, not even a new SQLite file or the migrations.
  const targetExists = config.database.backend === 'postgres' || fs.existsSync(config.database.file);
  const target = dryRun && !targetExists ? null : openDatabase(config.database);
  const progress = createProgressReporter(process.stderr, 2000, dryRun ? 'import (dry run)' : 'import');
  try {
    if (target && !dryRun) await migrateToLatest(target.db);
    const db = target && (!dryRun || (await store.hasLegacyTables(target.db))) ? target.db : null;
    const result = await importLegacy({
      source,
      db,
      dryRun,
      uploads,
      ...(options.batchSize ? { batchRows: options.batchSize } : {}),
      onProgress: (p) => progress.update(p),
    });
    progress.stop();
    const rate = result.seconds > 0 ? Math.round(result.rows / result.seconds) : result.rows;
    console.log(
      `${dryRun ? 'dry run: nothing written; ' : ''}read ${result.rows} rows from the earlier version (${source.kind}) in ${result.seconds.toFixed(1)} s ` +
        `(${rate} rows/s, peak memory ${Math.round(process.resourceUsage().maxRSS / 1024)} MB)`,
    );
    console.log(result.report.summary());
    if (options.report) {
      await result.report.write(options.report);
      console.log(`report written to ${options.report}`);
    }
  } finally {
    progress.stop();
    await source.close();
    await target?.close();
  }
}

async function printStatus(config: Config): Promise<void> {
  const store = await import('../legacy/store.js');
  const target = openDatabase(config.database);
  try {
    if (!(await store.hasLegacyTables(target.db))) {
      console.log(`${target.backend} at ${target.location}: nothing imported from the earlier version yet`);
      return;
    }
    const s = await store.status(target.db);
    console.log(`${target.backend} at ${target.location}`);
    console.log(`  accounts imported: ${s.accounts} (${s.accountsWithLegacyHash} not logged in yet, still on the old password hash)`);
    console.log(`  sessions: ${s.sessions.unclaimed} unclaimed, ${s.sessions.claimed} claimed, ${s.sessions.removed} removed unclaimed after LEGACY_CLAIM_DAYS`);
    const items = s.unclaimedItems.map((i) => `${i.count} ${i.kind}`).join(', ');
    console.log(`  unclaimed work: ${items || 'none'}`);
    if (s.oldestUnclaimedImport) {
      const until = new Date(Date.parse(s.oldestUnclaimedImport) + config.legacyClaimDays * 86_400_000).toISOString();
      console.log(`  oldest unclaimed work imported ${s.oldestUnclaimedImport}; kept until ${until} (LEGACY_CLAIM_DAYS=${config.legacyClaimDays})`);
    }
  } finally {
    await target.close();
  }
}

function positiveInteger(raw: string): number {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new InvalidArgumentError('expected a whole number of at least 1');
  return value;
}
