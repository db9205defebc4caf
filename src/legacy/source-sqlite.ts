import fs from 'node:fs';
import BetterSqlite3 from 'better-sqlite3';
import { LEGACY_COLUMNS, LegacySourceError, missingColumns, notLegacySchema, WORK_TABLES, type LegacyRow, type LegacySource, type LegacyTable } from './source.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });
const repairing = new TextDecoder('utf-8');

/**
 * SQLite stores whatever bytes it was given in a TEXT column, and better-sqlite3 would decode
 * invalid UTF-8 into U+FFFD without a word. Text columns are therefore read as BLOBs and decoded
 * here, strictly, so a damaged value is known and reported, never altered silently.
 */
class SqliteSource implements LegacySource {
  readonly kind = 'sqlite' as const;
  private readonly statements = new Map<string, BetterSqlite3.Statement>();

  constructor(private readonly db: BetterSqlite3.Database) {}

  private prepare(key: string, sql: () => string): BetterSqlite3.Statement {
    let statement = this.statements.get(key);
    if (!statement) {
      statement = this.db.prepare(sql());
      this.statements.set(key, statement);
    }
    return statement;
  }

  async checkSchema(): Promise<void> {
    const present = new Map<string, Set<string>>();
    try {
      const tables = this.db.prepare(`select name from sqlite_master where type = 'table'`).all() as { name: string }[];
      for (const { name } of tables) {
        const columns = this.db.prepare(`select name from pragma_table_info(?)`).all(name) as { name: string }[];
        present.set(name, new Set(columns.map((c) => c.name)));
      }
    } catch (error) {
      throw new LegacySourceError(`cannot read the SQLite file: ${(error as Error).message}`);
    }
    const missing = missingColumns(present);
    if (missing.length > 0) throw notLegacySchema(missing);
  }

  async count(table: LegacyTable): Promise<number> {
    return (this.prepare(`count:${table}`, () => `select count(*) as n from ${table}`).get() as { n: number }).n;
  }

  async batch(table: LegacyTable, after: string | number | null, limit: number): Promise<LegacyRow[]> {
    const { text, numbers } = LEGACY_COLUMNS[table];
    const select = [...numbers.map((c) => `"${c}"`), ...text.map((c) => `cast("${c}" as blob) as "${c}"`), 'id as __key'].join(', ');
    const statement =
      after === null
        ? this.prepare(`first:${table}`, () => `select ${select} from ${table} order by id limit ?`)
        : this.prepare(`next:${table}`, () => `select ${select} from ${table} where id > ? order by id limit ?`);
    const rows = (after === null ? statement.all(limit) : statement.all(after, limit)) as Record<string, unknown>[];
    return rows.map((raw) => {
      const row: LegacyRow = { values: { __key: raw.__key as string | number }, invalidUtf8: [] };
      for (const column of numbers) row.values[column] = raw[column] as number | null;
      for (const column of text) {
        const bytes = raw[column] as Buffer | null;
        if (bytes === null) {
          row.values[column] = null;
          continue;
        }
        try {
          row.values[column] = utf8.decode(bytes);
        } catch {
          row.values[column] = repairing.decode(bytes);
          row.invalidUtf8.push(column);
        }
      }
      return row;
    });
  }

  async existingSessions(ids: string[]): Promise<Map<string, string | null>> {
    if (ids.length === 0) return new Map();
    const rows = this.db
      .prepare(`select id, created_at from sessions where id in (${ids.map(() => '?').join(',')})`)
      .all(...ids) as { id: string; created_at: string | null }[];
    return new Map(rows.map((r) => [r.id, r.created_at === null ? null : String(r.created_at)]));
  }

  async sessionsWithWork(ids: string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const marks = ids.map(() => '?').join(',');
    const union = WORK_TABLES.map((t) => `select session_id from ${t} where session_id in (${marks})`).join(' union ');
    const rows = this.db.prepare(union).all(...WORK_TABLES.flatMap(() => ids)) as { session_id: string }[];
    return new Set(rows.map((r) => r.session_id));
  }

  async close(): Promise<void> {
    this.db.close();
  }
}

export function openSqliteSource(file: string): LegacySource {
  if (!fs.existsSync(file)) throw new LegacySourceError(`cannot read the source: ${file} does not exist`);
  try {
    const db = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
    // Touches the file's header: a file that is not SQLite fails here, not halfway through.
    db.prepare('select count(*) from sqlite_master').get();
    return new SqliteSource(db);
  } catch (error) {
    throw new LegacySourceError(`cannot read the source ${file}: ${(error as Error).message}`);
  }
}
