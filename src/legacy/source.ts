/**
 * Reading the predecessor's database, whichever kind it is. A reader hands out rows a batch at
 * a time, in primary-key order (keyset paging), so the source is never held in memory whole.
 */

export type LegacyTable = 'users' | 'sessions' | 'wimd_outputs' | 'job_matches' | 'resume_versions' | 'file_uploads';

/** The tables in the order they are imported: accounts, then sessions, then the work hanging off them. */
export const LEGACY_TABLES: LegacyTable[] = ['users', 'sessions', 'wimd_outputs', 'job_matches', 'resume_versions', 'file_uploads'];

/** The tables holding work, each with a `session_id`. */
export const WORK_TABLES: LegacyTable[] = ['wimd_outputs', 'job_matches', 'resume_versions', 'file_uploads'];

/**
 * The columns read from each table: text (and timestamps, read as text) and numbers. Later
 * versions added columns (a subscription tier, a discount code): they are not read, so an
 * unknown column never stops an import.
 */
export const LEGACY_COLUMNS: Record<LegacyTable, { text: string[]; numbers: string[] }> = {
  users: { text: ['id', 'email', 'password_hash', 'created_at', 'last_login'], numbers: [] },
  sessions: { text: ['id', 'created_at', 'user_data'], numbers: [] },
  wimd_outputs: { text: ['session_id', 'prompt', 'response', 'analysis_data', 'metrics', 'created_at'], numbers: ['id'] },
  job_matches: {
    text: ['session_id', 'job_id', 'company', 'role', 'skills_match', 'values_match', 'extras', 'created_at'],
    numbers: ['id', 'fit_score'],
  },
  resume_versions: { text: ['session_id', 'job_id', 'version_name', 'content', 'feedback', 'created_at'], numbers: ['id'] },
  file_uploads: { text: ['session_id', 'filename', 'file_path', 'file_type', 'created_at'], numbers: ['id', 'file_size'] },
};

export type LegacyValue = string | number | null;

/** One source row: its values by column, and the text columns that held invalid UTF-8. */
export interface LegacyRow {
  values: Record<string, LegacyValue>;
  /** Columns whose bytes were not valid UTF-8; their value is a repaired copy (U+FFFD for each bad sequence). */
  invalidUtf8: string[];
}

export interface LegacySource {
  readonly kind: 'sqlite' | 'postgres';
  /** Throws LegacySourceError when a table or column the import reads is missing. */
  checkSchema(): Promise<void>;
  count(table: LegacyTable): Promise<number>;
  /** Rows of `table` after the key `after` (exclusive), at most `limit`, in key order. */
  batch(table: LegacyTable, after: string | number | null, limit: number): Promise<LegacyRow[]>;
  /** Which of these session ids exist in `sessions`, with their `created_at` as stored. */
  existingSessions(ids: string[]): Promise<Map<string, string | null>>;
  /** Which of these session ids have at least one row of work. */
  sessionsWithWork(ids: string[]): Promise<Set<string>>;
  close(): Promise<void>;
}

/** The source cannot be read, or is not the predecessor's database: the command exits 2 with this message. */
export class LegacySourceError extends Error {
  override name = 'LegacySourceError';
}

/** What the schema check requires: every column the import reads. */
export function missingColumns(present: Map<string, Set<string>>): string[] {
  const missing: string[] = [];
  for (const table of LEGACY_TABLES) {
    const columns = present.get(table);
    if (!columns) {
      missing.push(`table ${table}`);
      continue;
    }
    for (const column of [...LEGACY_COLUMNS[table].numbers, ...LEGACY_COLUMNS[table].text]) {
      if (!columns.has(column)) missing.push(`column ${table}.${column}`);
    }
  }
  return missing;
}

export function notLegacySchema(missing: string[]): LegacySourceError {
  const shown = missing.slice(0, 4).join(', ') + (missing.length > 4 ? `, and ${missing.length - 4} more` : '');
  return new LegacySourceError(`the source is not the earlier Mosaic's database (missing ${shown})`);
}

/** Opens the source named by `--from`: a postgres:// URL or a SQLite file. */
export async function openLegacySource(from: string): Promise<LegacySource> {
  if (/^postgres(ql)?:\/\//i.test(from)) {
    const { openPostgresSource } = await import('./source-postgres.js');
    return openPostgresSource(from);
  }
  const { openSqliteSource } = await import('./source-sqlite.js');
  return openSqliteSource(from);
}
