import type BetterSqlite3 from 'better-sqlite3';
import type { SqliteDatabase, SqliteStatement } from 'kysely';
import { STATEMENT_CACHE_SIZE } from '../prepared.js';

// SQLite's statement cache: see STATEMENT_CACHE_SIZE for why statements are prepared once.

/** better-sqlite3 refuses to bind booleans and Dates: they become 0/1 and ISO text, as PostgreSQL stores them. */
function sqliteValue(value: unknown): unknown {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value instanceof Date) return value.toISOString();
  return value;
}

function bindable(parameters: ReadonlyArray<unknown>): ReadonlyArray<unknown> {
  for (const value of parameters) {
    if (typeof value === 'boolean' || value instanceof Date) return parameters.map(sqliteValue);
  }
  return parameters;
}

type RowMaker = (values: unknown[]) => Record<string, unknown>;

/**
 * A function building a row object of these columns from an array of their values. Rows made
 * by better-sqlite3 itself are built through V8's C++ API one property at a time; a literal of
 * a fixed shape is ~40 % cheaper for a 50-row page. The names come from the statement (our
 * own SQL), and JSON.stringify quotes them, so no text reaches the code unescaped.
 */
function rowMaker(columns: string[]): RowMaker {
  const fields = columns.map((name, i) => `${JSON.stringify(name)}: values[${i}]`).join(', ');
  return new Function('values', `return { ${fields} };`) as RowMaker;
}

/** What the statements of one SQLite connection share: how many iterators are open on it. */
interface ConnectionState {
  openIterators: number;
}

/**
 * A prepared statement as Kysely's SQLite driver uses it, binding the values better-sqlite3
 * cannot take and calling `beforeWrite` before any statement that writes (SQLite's own
 * judgement, `sqlite3_stmt_readonly`). Both used to be Kysely plugins, which rebuilt the whole
 * query tree and added a promise to every query: 10–15 % of a read route's busy time.
 * Statements that return rows run in raw mode and get their objects from `rowMaker`.
 */
class CachedStatement implements SqliteStatement {
  readonly reader: boolean;
  /** SQLite's own judgement: the statement cannot change the database. */
  readonly readonly: boolean;
  readonly #statement: BetterSqlite3.Statement;
  readonly #beforeWrite: (() => void) | undefined;
  readonly #makeRow: RowMaker | undefined;
  readonly #connection: ConnectionState;

  constructor(statement: BetterSqlite3.Statement, beforeWrite: (() => void) | undefined, connection: ConnectionState) {
    this.#statement = statement;
    this.#connection = connection;
    this.reader = statement.reader;
    this.readonly = statement.readonly;
    this.#beforeWrite = statement.readonly ? undefined : beforeWrite;
    if (statement.reader) {
      this.#makeRow = rowMaker(statement.columns().map((column) => column.name));
      statement.raw(true);
    }
  }

  all(parameters: ReadonlyArray<unknown>): unknown[] {
    this.#beforeWrite?.();
    const rows = this.#statement.all(bindable(parameters)) as unknown[][];
    return this.#makeRow ? rows.map(this.#makeRow) : rows;
  }

  run(parameters: ReadonlyArray<unknown>): BetterSqlite3.RunResult {
    this.#beforeWrite?.();
    return this.#statement.run(bindable(parameters));
  }

  *iterate(parameters: ReadonlyArray<unknown>): IterableIterator<unknown> {
    this.#beforeWrite?.();
    this.#connection.openIterators++;
    try {
      for (const values of this.#statement.iterate(bindable(parameters)) as IterableIterator<unknown[]>) {
        yield this.#makeRow ? this.#makeRow(values) : values;
      }
    } finally {
      this.#connection.openIterators--;
    }
  }
}

export interface SqliteStatementOptions {
  /** Statements kept prepared; the least recently used is dropped beyond this. */
  capacity?: number;
  /** Called before every statement that writes; throwing refuses the write. */
  beforeWrite?: () => void;
}

/** Kysely's SQLite database, plus reads that may run without waiting for Kysely's executor. */
export interface CachingSqliteDatabase extends SqliteDatabase {
  /**
   * Runs a read-only statement at once and returns its rows, when the connection is free for
   * it: no transaction open (its uncommitted rows are not for other requests to see) and no
   * iterator open (SQLite's connection is busy until it ends). Otherwise, or when the
   * statement may write, undefined: the caller goes through Kysely, which waits its turn.
   */
  readIfIdle(sql: string, parameters: ReadonlyArray<unknown>): unknown[] | undefined;
}

/**
 * A better-sqlite3 database for Kysely's SqliteDialect whose `prepare` reuses statements per
 * SQL text, least recently used evicted beyond `capacity`. Kysely's driver holds the single
 * connection under a mutex and runs each statement to completion before the next, so a
 * cached statement is never busy when it is reused.
 */
export function cachingSqliteDatabase(database: BetterSqlite3.Database, options: SqliteStatementOptions = {}): CachingSqliteDatabase {
  const capacity = options.capacity ?? STATEMENT_CACHE_SIZE;
  const statements = new Map<string, CachedStatement>();
  const connection: ConnectionState = { openIterators: 0 };
  const prepare = (sql: string): CachedStatement => {
    let statement = statements.get(sql);
    if (statement) {
      // Re-inserting moves it to the newest end: Map keeps insertion order.
      statements.delete(sql);
    } else {
      statement = new CachedStatement(database.prepare(sql), options.beforeWrite, connection);
      if (statements.size >= capacity) statements.delete(statements.keys().next().value!);
    }
    statements.set(sql, statement);
    return statement;
  };
  return {
    close: () => database.close(),
    prepare,
    readIfIdle(sql, parameters) {
      if (database.inTransaction || connection.openIterators > 0) return undefined;
      const statement = prepare(sql);
      return statement.reader && statement.readonly ? statement.all(parameters) : undefined;
    },
  };
}
