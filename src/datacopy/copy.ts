import fs from 'node:fs';
import path from 'node:path';
import { databaseConfigFromLocation, openDatabase, type Database } from '../db/connection.js';
import { migrateUpTo, migrationStatus, SchemaTooNewError } from '../db/migrate.js';
import type { BatchLimits, SourceReader, TargetWriter } from './endpoints.js';
import { PostgresReader, PostgresWriter } from './postgres.js';
import { SqliteReader, SqliteWriter } from './sqlite.js';
import { introspectTables, planTables } from './tables.js';
import { keyOf, type CopyTable, type Row } from './values.js';

export const DEFAULT_BATCH_ROWS = 5000;
/** File bytes are up to 10 MB a row: a byte cap keeps such batches to a few rows. */
export const DEFAULT_BATCH_BYTES = 16 * 1024 * 1024;

export interface CopyProgress {
  table: string;
  tableRows: number;
  tableTotal: number;
  rows: number;
  totalRows: number;
}

export interface CopyOptions {
  from: string;
  to: string;
  /** Empty a non-empty target first (in the copy's transaction). */
  replace?: boolean;
  /** Commit per batch, and continue after the target's last key of each table. */
  resume?: boolean;
  batchRows?: number;
  batchBytes?: number;
  onProgress?: (progress: CopyProgress) => void;
  /**
   * An open reader of `from` whose snapshot has begun, to copy from instead of opening one; the
   * caller closes it. A backup verifies against this same snapshot while the server writes on.
   */
  source?: SourceReader;
  /** Called after each batch is written (and committed, with resume); a test interrupts a copy here. */
  afterBatch?: (batch: { table: string; number: number; rows: number }) => void | Promise<void>;
}

export interface CopyResult {
  tables: { name: string; rows: number }[];
  rows: number;
  schemaVersion: number;
  seconds: number;
}

/** The target is not empty and the caller did not ask to replace or resume. */
export class TargetNotEmptyError extends Error {
  override name = 'TargetNotEmptyError';
}

export function openReader(location: string): SourceReader {
  const config = databaseConfigFromLocation(location);
  return config.backend === 'postgres' ? new PostgresReader(config.url) : new SqliteReader(config.file);
}

function openWriter(location: string): TargetWriter {
  const config = databaseConfigFromLocation(location);
  return config.backend === 'postgres' ? new PostgresWriter(config.url) : new SqliteWriter(config.file);
}

/** Opens a location for schema work; a SQLite source must already exist (opening would create it). */
export function openLocation(location: string, mustExist: boolean): Database {
  const config = databaseConfigFromLocation(location);
  if (mustExist && config.backend === 'sqlite' && !fs.existsSync(config.file)) {
    throw new Error(`no SQLite database at ${path.resolve(config.file)}`);
  }
  return openDatabase(config);
}

function sameLocation(a: string, b: string): boolean {
  const x = databaseConfigFromLocation(a);
  const y = databaseConfigFromLocation(b);
  if (x.backend === 'sqlite' && y.backend === 'sqlite') return path.resolve(x.file) === path.resolve(y.file);
  if (x.backend === 'postgres' && y.backend === 'postgres') {
    const [u, v] = [new URL(x.url), new URL(y.url)];
    return u.hostname === v.hostname && (u.port || '5432') === (v.port || '5432') && u.pathname === v.pathname;
  }
  return false;
}

/**
 * Brings the target to the source's schema version with the same migrations. A source older
 * than this build is matched, not overtaken (the server migrates the rest when it starts); a
 * target ahead of the source is refused, since its tables may not fit the source's rows.
 */
async function alignTargetSchema(source: Database, target: Database): Promise<number> {
  const from = await migrationStatus(source.db);
  if (from.unknown.length > 0) throw new SchemaTooNewError(from.unknown);
  const newest = from.applied.at(-1)?.name;
  if (!newest) throw new Error(`the source ${source.location} has no Mosaic schema (no migrations applied); nothing to copy`);
  const to = await migrationStatus(target.db);
  const sourceNames = new Set(from.applied.map((m) => m.name));
  const ahead = to.applied.filter((m) => !sourceNames.has(m.name)).map((m) => m.name);
  if (to.unknown.length > 0 || ahead.length > 0) {
    throw new Error(
      `the target's schema (version ${to.schemaVersion}) is ahead of the source's (version ${from.schemaVersion}): ` +
        `it has ${[...new Set([...to.unknown, ...ahead])].join(', ')}. Copy into a new database, or bring the source up to date first (mosaic db migrate)`,
    );
  }
  await migrateUpTo(target.db, newest);
  return from.schemaVersion;
}

async function planFor(source: Database, target: Database): Promise<CopyTable[]> {
  return planTables(
    { backend: source.backend, tables: await introspectTables(source.db, source.backend) },
    { backend: target.backend, tables: await introspectTables(target.db, target.backend) },
  );
}

/**
 * Copies every application table from one database to another (PostgreSQL or SQLite, either
 * way), in foreign-key order, streaming in batches, from one snapshot of the source. See the
 * README's "Moving to PostgreSQL (and back)".
 *
 * @example
 * await copyDatabase({ from: 'data/mosaic.db', to: 'postgres://mosaic@db/mosaic' });
 */
export async function copyDatabase(options: CopyOptions): Promise<CopyResult> {
  // A copy or restore into a SQLite file that did not exist must not leave one behind when it
  // fails: a half-made or empty file would pass for a database. A resumable copy keeps its
  // committed batches, which is what --resume continues from.
  const target = databaseConfigFromLocation(options.to);
  const newFile = target.backend === 'sqlite' && !options.resume && !fs.existsSync(target.file) ? target.file : undefined;
  try {
    return await copyAll(options);
  } catch (error) {
    if (newFile !== undefined) removeSqliteFiles(newFile);
    throw error;
  }
}

/** Deletes a SQLite database file and the files SQLite keeps beside it. */
export function removeSqliteFiles(file: string): void {
  for (const suffix of ['', '-wal', '-shm', '-journal']) fs.rmSync(`${file}${suffix}`, { force: true });
}

async function copyAll(options: CopyOptions): Promise<CopyResult> {
  const started = performance.now();
  if (sameLocation(options.from, options.to)) throw new Error('the source and the target are the same database');
  const limits: BatchLimits = {
    rows: options.batchRows ?? DEFAULT_BATCH_ROWS,
    bytes: options.batchBytes ?? DEFAULT_BATCH_BYTES,
  };
  const sourceDb = openLocation(options.from, true);
  let targetDb: Database | undefined;
  let reader: SourceReader | undefined;
  let writer: TargetWriter | undefined;
  try {
    targetDb = openLocation(options.to, false);
    const schemaVersion = await alignTargetSchema(sourceDb, targetDb);
    const tables = await planFor(sourceDb, targetDb);
    const targetLabel = targetDb.location;
    await targetDb.close();
    targetDb = undefined;

    reader = options.source ?? openReader(options.from);
    writer = openWriter(options.to);
    if (!options.source) await reader.begin();
    if (!options.replace && !options.resume) await refuseNonEmpty(writer, tables, targetLabel);

    const totals = new Map<string, number>();
    for (const table of tables) totals.set(table.name, await reader.count(table));
    const totalRows = [...totals.values()].reduce((a, b) => a + b, 0);
    const copied: CopyResult['tables'] = [];
    let rows = 0;
    let batchNumber = 0;

    const inTransaction = !options.resume;
    if (inTransaction) await writer.begin();
    try {
      if (options.replace) {
        if (!inTransaction) await writer.begin();
        await writer.empty([...tables].reverse());
        if (!inTransaction) await writer.commit();
      }
      for (const table of tables) {
        const tableTotal = totals.get(table.name)!;
        let after: Row | null = options.resume ? await writer.lastKey(table) : null;
        let tableRows = after ? await writer.rowCount(table) : 0;
        rows += tableRows;
        let sink = inTransaction ? writer.openTable(table) : undefined;
        try {
          for (;;) {
            const batch = await reader.readBatch(table, after, limits);
            if (batch.length === 0) break;
            if (inTransaction) {
              await sink!.write(batch);
            } else {
              await writer.begin();
              sink = writer.openTable(table);
              await sink.write(batch);
              await sink.finish();
              await writer.commit();
            }
            after = keyOf(table, batch.at(-1)!);
            tableRows += batch.length;
            rows += batch.length;
            options.onProgress?.({ table: table.name, tableRows, tableTotal, rows, totalRows });
            await options.afterBatch?.({ table: table.name, number: ++batchNumber, rows: batch.length });
          }
          if (inTransaction) await sink!.finish();
        } catch (error) {
          await sink?.abort(error as Error);
          throw error;
        }
        options.onProgress?.({ table: table.name, tableRows, tableTotal: Math.max(tableTotal, tableRows), rows, totalRows });
        copied.push({ name: table.name, rows: tableRows });
      }
      if (!inTransaction) await writer.begin();
      await writer.resetSequences(tables);
      await writer.commit();
    } catch (error) {
      await writer.rollback().catch(() => {});
      throw error;
    }
    return { tables: copied, rows, schemaVersion, seconds: (performance.now() - started) / 1000 };
  } finally {
    if (!options.source) await reader?.close().catch(() => {});
    await writer?.close().catch(() => {});
    await targetDb?.close().catch(() => {});
    await sourceDb.close().catch(() => {});
  }
}

async function refuseNonEmpty(writer: TargetWriter, tables: CopyTable[], location: string): Promise<void> {
  const filled: string[] = [];
  for (const table of tables) {
    const count = await writer.rowCount(table);
    if (count > 0) filled.push(`${table.name} (${count} rows)`);
  }
  if (filled.length > 0) {
    throw new TargetNotEmptyError(
      `the target ${location} is not empty: ${filled.join(', ')}. ` +
        'Pass --replace to empty it first (in the same transaction as the copy), or --resume to continue an interrupted copy',
    );
  }
}
