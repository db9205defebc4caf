import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { copyDatabase, openReader, removeSqliteFiles, type CopyProgress } from './copy.js';
import { formatVerification, verifyDatabases, type Verification } from './verify.js';

export interface BackupOptions {
  /** The live database: a postgres:// URL or a SQLite file. */
  from: string;
  /** The backup file; default `<dir>/mosaic-<UTC timestamp>.db`. */
  to?: string;
  /** Where a backup without `to` goes. */
  dir?: string;
  onProgress?: (progress: CopyProgress) => void;
  /** After a verified backup into `dir`, delete all but this many newest `mosaic-<timestamp>.db` there. */
  keep?: number;
  /** Now, for the default file name (a test pins it). */
  now?: Date;
}

export interface BackupResult {
  file: string;
  rows: number;
  tables: { name: string; rows: number }[];
  schemaVersion: number;
  bytes: number;
  seconds: number;
  verification: Verification;
  /** Older backups deleted by `keep`. */
  pruned: string[];
}

const BACKUP_NAME = /^mosaic-\d{8}T\d{6}Z\.db$/;

/** The backup's copy does not match the snapshot it was taken from; nothing was kept. */
export class BackupVerificationError extends Error {
  override name = 'BackupVerificationError';
  constructor(readonly verification: Verification) {
    super(`the backup does not match the database it was copied from; no backup was kept\n${formatVerification(verification)}`);
  }
}

/** `mosaic-20260101T030000Z.db`: sorts by time, and no character a file system or shell minds. */
export function defaultBackupName(now: Date): string {
  return `mosaic-${now.toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '')}.db`;
}

/**
 * A self-contained SQLite file: rollback journal instead of WAL (nothing beside it is needed,
 * and it opens on a read-only medium), checked by SQLite itself, and flushed to disk.
 */
function sealBackupFile(file: string): void {
  const database = new BetterSqlite3(file, { fileMustExist: true });
  try {
    database.pragma('journal_mode = DELETE');
    const integrity = database.pragma('integrity_check', { simple: true });
    if (integrity !== 'ok') throw new Error(`the backup file fails SQLite's integrity check: ${String(integrity)}`);
  } finally {
    database.close();
  }
  const handle = fs.openSync(file, 'r');
  try {
    fs.fsyncSync(handle);
  } finally {
    fs.closeSync(handle);
  }
}

/**
 * Keeps `keep` backups of a directory and deletes the rest. The one just written is always
 * kept, even when a file named later exists (a clock set back, a copy from another host); the
 * other places go to the newest by the timestamp in their names. Only regular files with the
 * names `mosaic db backup` gives are touched: other files, directories and links named like a
 * backup are skipped, never a reason to stop pruning.
 */
export function pruneBackups(dir: string, keep: number, justWritten?: string): string[] {
  const kept = justWritten === undefined ? undefined : path.basename(justWritten);
  const names = fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isFile() && BACKUP_NAME.test(entry.name) && entry.name !== kept)
    .map((entry) => entry.name)
    .sort();
  const others = Math.max(0, keep - (kept === undefined ? 0 : 1));
  const old = names.slice(0, Math.max(0, names.length - others));
  const pruned: string[] = [];
  for (const name of old) {
    fs.rmSync(path.join(dir, name));
    pruned.push(path.join(dir, name));
  }
  return pruned;
}

function fsyncDirectory(dir: string): void {
  const handle = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(handle);
  } finally {
    fs.closeSync(handle);
  }
}

/**
 * Takes a consistent backup of a live database (either backend) into a new SQLite file: the
 * same copy as `mosaic db copy`, from one snapshot, verified table by table against that
 * same snapshot (the server may write on meanwhile), written under a temporary name and
 * renamed only once verified. A failed or mismatched backup leaves no file behind.
 *
 * @example
 * const { file } = await backupDatabase({ from: process.env.DATABASE_URL!, dir: '/backups' });
 */
export async function backupDatabase(options: BackupOptions): Promise<BackupResult> {
  const started = performance.now();
  const file = path.resolve(options.to ?? path.join(options.dir ?? 'backups', defaultBackupName(options.now ?? new Date())));
  if (fs.existsSync(file)) throw new Error(`${file} already exists; a backup never overwrites a file`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  // Same directory, so the final rename is atomic; the pid keeps two runs apart.
  const partial = `${file}.partial-${process.pid}`;
  removeSqliteFiles(partial);

  const snapshot = openReader(options.from);
  try {
    await snapshot.begin();
    const copy = await copyDatabase({
      from: options.from,
      to: partial,
      source: snapshot,
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    });
    const verification = await verifyDatabases(options.from, partial, { fromSnapshot: snapshot });
    if (!verification.ok) throw new BackupVerificationError(verification);
    sealBackupFile(partial);
    fs.renameSync(partial, file);
    fsyncDirectory(path.dirname(file));
    const pruned = options.keep !== undefined && !options.to ? pruneBackups(path.dirname(file), options.keep, file) : [];
    return {
      file,
      rows: copy.rows,
      tables: copy.tables,
      schemaVersion: copy.schemaVersion,
      bytes: fs.statSync(file).size,
      seconds: (performance.now() - started) / 1000,
      verification,
      pruned,
    };
  } catch (error) {
    removeSqliteFiles(partial);
    throw error;
  } finally {
    await snapshot.close().catch(() => {});
  }
}
