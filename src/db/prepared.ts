import { createHash } from 'node:crypto';
import type BetterSqlite3 from 'better-sqlite3';
import { SelectQueryNode } from 'kysely';
import type {
  Compilable,
  CompiledQuery,
  Kysely,
  PostgresCursor,
  PostgresPool,
  PostgresPoolClient,
  PostgresQueryResult,
  SqliteDatabase,
  SqliteStatement,
} from 'kysely';
import type pg from 'pg';
import { parseBinaryCopy, type BinaryCopyRow } from './binary-copy.js';

/**
 * The statement caches behind both dialects. Profiles of who-am-I showed better-sqlite3
 * re-preparing the same SQL text on every request (16 % of busy time), and PostgreSQL parsing
 * and planning every unnamed statement (planning ~7× execution for the session join). The
 * application's SQL texts are few and fixed, so each is prepared once; the caches are bounded
 * because some texts vary (`in (…)` lists of different lengths).
 */
export const STATEMENT_CACHE_SIZE = 256;

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

// PostgreSQL: "cached plan must not change result type" — a migration changed the columns of
// a table a named `select *` statement reads. The connection is dropped so the next one
// prepares afresh; only a column-changing migration under a running instance causes it.
const PLAN_RESULT_TYPE_CHANGED = '0A000';

// `COPY (select …) TO STDOUT (FORMAT binary)`: bytea travels as hex text in a normal result
// (twice the bytes, then decoded in JavaScript: 1 MB took 42 ms wall and 10 ms of Node CPU,
// against 6 ms and 2 ms this way). pg's own `binary: true` result mode corrupts bytea.
const BINARY_COPY_OUT = /^copy\s*\(.*\)\s*to\s+stdout\s*\(\s*format\s+binary\s*\)\s*$/is;

async function copyOutBinary(client: pg.PoolClient, sql: string): Promise<BinaryCopyRow[]> {
  const { to } = await import('pg-copy-streams');
  const chunks: Buffer[] = [];
  await new Promise<void>((resolve, reject) => {
    const stream = client.query(to(sql));
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('error', reject);
    stream.on('end', resolve);
  });
  return parseBinaryCopy(chunks);
}

/**
 * A pg pool for Kysely's PostgresDialect that sends parameterized statements as named
 * prepared statements (named by a hash of the SQL text), so each connection parses and plans
 * a query once. Only the first `capacity` distinct texts get names: pg never forgets a
 * connection's prepared statements, so the cap bounds server memory per connection; later
 * texts run unnamed as before.
 *
 * A `COPY (…) TO STDOUT (FORMAT binary)` statement (no parameters: COPY takes none) answers
 * rows of raw field bytes (`BinaryCopyRow`), for reading bytea without its hex text form.
 *
 * Named statements live in one server session, which PgBouncer's transaction pooling does not
 * guarantee before PgBouncer 1.21 (`max_prepared_statements`): `DATABASE_NAMED_STATEMENTS=false`
 * turns this off.
 */
export interface NamedStatementPoolOptions {
  /**
   * Behind a transaction pooler: the statement timeout, set with `SET LOCAL` in every
   * transaction (0: none). A startup parameter would be refused by PgBouncer, and a session
   * `SET` would outlive the transaction on a server connection other clients then get.
   */
  localStatementTimeoutMs?: number;
}

const BEGINS = /^\s*(begin|start\s+transaction)\b/i;
const ENDS = /^\s*(commit|rollback|end|abort)\s*;?\s*$/i;

export function namedStatementPool(pool: pg.Pool, capacity = STATEMENT_CACHE_SIZE, options: NamedStatementPoolOptions = {}): PostgresPool {
  const names = new Map<string, string>();
  const nameOf = (sql: string): string | undefined => {
    let name = names.get(sql);
    if (name === undefined && names.size < capacity) {
      name = `mosaic_${createHash('sha1').update(sql).digest('hex').slice(0, 20)}`;
      names.set(sql, name);
    }
    return name;
  };
  const wrappers = new WeakMap<pg.PoolClient, PostgresPoolClient>();
  const wrap = (client: pg.PoolClient): PostgresPoolClient => {
    let stale = false;
    const query = async (sql: string, parameters: ReadonlyArray<unknown>): Promise<PostgresQueryResult<unknown>> => {
      if (parameters.length === 0 && BINARY_COPY_OUT.test(sql)) {
        return { command: 'SELECT', rowCount: null, rows: await copyOutBinary(client, sql) } as unknown as PostgresQueryResult<unknown>;
      }
      const name = parameters.length > 0 ? nameOf(sql) : undefined;
      try {
        const result = await client.query({ text: sql, values: parameters as unknown[], ...(name ? { name } : {}) });
        return result as unknown as PostgresQueryResult<unknown>;
      } catch (error) {
        if (name && (error as { code?: string }).code === PLAN_RESULT_TYPE_CHANGED) stale = true;
        throw error;
      }
    };
    const timeoutMs = options.localStatementTimeoutMs ?? 0;
    if (timeoutMs <= 0) return wrapper(client, query, () => stale);
    // Behind a transaction pooler, every statement runs in a transaction that sets the timeout:
    // Kysely's own BEGIN carries the SET LOCAL in the same round trip; a statement outside a
    // transaction is wrapped in one (two more round trips, the price of the pooler).
    const setTimeout = `set local statement_timeout = ${Math.floor(timeoutMs)}`;
    let inTransaction = false;
    const first = (result: unknown) => (Array.isArray(result) ? result[0] : result) as PostgresQueryResult<unknown>;
    const timed = async (sql: string, parameters: ReadonlyArray<unknown>): Promise<PostgresQueryResult<unknown>> => {
      if (parameters.length === 0 && BEGINS.test(sql)) {
        const result = first(await client.query(`${sql}; ${setTimeout}`));
        inTransaction = true;
        return result;
      }
      if (parameters.length === 0 && ENDS.test(sql)) {
        inTransaction = false;
        return query(sql, parameters);
      }
      if (inTransaction) return query(sql, parameters);
      await client.query(`begin; ${setTimeout}`);
      let result: PostgresQueryResult<unknown>;
      try {
        result = await query(sql, parameters);
      } catch (error) {
        await client.query('rollback').catch(() => {});
        throw error;
      }
      await client.query('commit');
      return result;
    };
    return wrapper(client, timed, () => stale);
  };
  const wrapper = (
    client: pg.PoolClient,
    query: (sql: string, parameters: ReadonlyArray<unknown>) => Promise<PostgresQueryResult<unknown>>,
    isStale: () => boolean,
  ): PostgresPoolClient => {
    return {
      query: ((sqlOrCursor: string | PostgresCursor<unknown>, parameters?: ReadonlyArray<unknown>) =>
        typeof sqlOrCursor === 'string'
          ? query(sqlOrCursor, parameters ?? [])
          : client.query(sqlOrCursor as unknown as pg.Submittable)) as PostgresPoolClient['query'],
      release: (destroy?: boolean) => {
        const drop = Boolean(destroy) || isStale();
        if (drop) wrappers.delete(client);
        client.release(drop);
      },
    };
  };
  return {
    async connect() {
      const client = await pool.connect();
      let wrapper = wrappers.get(client);
      if (!wrapper) {
        wrapper = wrap(client);
        wrappers.set(client, wrapper);
      }
      return wrapper;
    },
    end: () => pool.end(),
  };
}

// The root Kysely instance of each SQLite database and its immediate reads (see
// `allowImmediateReads`). A transaction is another instance, so it is never found here.
const immediateReads = new WeakMap<object, CachingSqliteDatabase['readIfIdle']>();

/**
 * Lets `compiledOnce` queries on `db` that only read run straight on the SQLite connection
 * when it is free, instead of through Kysely's executor: its connection mutex, result
 * transform and promise chain cost more than the statement itself for a one-row read
 * (who-am-I: ~30,000 of 290,000 instructions a request, under callgrind). Only for a Kysely
 * instance without plugins, since the result does not pass through them.
 */
export function allowImmediateReads(db: Kysely<any>, database: CachingSqliteDatabase): void {
  immediateReads.set(db, database.readIfIdle);
}

/** A query compiled once (see `compiledOnce`): called, it runs; `now` answers at once or not at all. */
export interface CompiledOnce<DB, Row, Args extends unknown[]> {
  (db: Kysely<DB>, ...args: Args): Promise<Row[]>;
  /**
   * The rows at once, when the query only reads and may run immediately (SQLite, root
   * instance, connection free: see `allowImmediateReads`); otherwise undefined, and the caller
   * runs the query by calling it. Lets a hot path stay synchronous where the database allows:
   * every `await` on the way (the session gate had four nested async functions) costs a
   * promise and a turn of the microtask queue.
   */
  now(db: Kysely<DB>, ...args: Args): Row[] | undefined;
}

/**
 * A Kysely query built and compiled once per database instead of on every call. Profiles of
 * who-am-I on SQLite put Kysely's building, plugin transform and compiling at 15–30 % of busy
 * time for a query whose SQL never changes; in a login storm, 42 % of the event loop's samples
 * were in Kysely. `build` is called once with placeholder values, which must be used only as
 * bound values (no branching on them; constants as `sql.lit`); each call then runs the cached
 * SQL with the real values in their places. The cache is keyed by the database's adapter, which
 * its transactions and connections share, so a query run inside a transaction is not rebuilt.
 */
export function compiledOnce<DB, Row, Args extends unknown[]>(
  build: (db: Kysely<DB>, ...args: Args) => Compilable<Row>,
): CompiledOnce<DB, Row, Args> {
  // `select`: only a select may be read at once; a write would be prepared twice for nothing.
  type Entry = { compiled: CompiledQuery<Row>; positions: number[]; select: boolean };
  const cache = new WeakMap<object, Entry>();
  const entryFor = (db: Kysely<DB>, args: Args): Entry => {
    const adapter = db.getExecutor().adapter;
    let entry = cache.get(adapter);
    if (!entry) {
      const placeholders = args.map((_, i) => `\u0000mosaic-placeholder-${i}`) as Args;
      const compiled = build(db, ...placeholders).compile();
      const positions = compiled.parameters.map((value) => placeholders.indexOf(value as never));
      if (positions.some((p) => p === -1) || new Set(positions).size !== args.length) {
        throw new Error('compiledOnce: every argument must appear as a bound value, and only those');
      }
      entry = { compiled, positions, select: SelectQueryNode.is(compiled.query) };
      cache.set(adapter, entry);
    }
    return entry;
  };
  // The rows read at once on the root SQLite instance, or undefined (see `CompiledOnce.now`).
  const readNow = (db: Kysely<DB>, { compiled, select }: Entry, parameters: unknown[]) =>
    select ? (immediateReads.get(db)?.(compiled.sql, parameters) as Row[] | undefined) : undefined;
  const now = (db: Kysely<DB>, ...args: Args): Row[] | undefined => {
    // Nothing to build where nothing can be read at once (PostgreSQL, a transaction).
    if (!immediateReads.has(db)) return undefined;
    const entry = entryFor(db, args);
    return readNow(db, entry, entry.positions.map((p) => args[p]));
  };
  // The entry and the values are found once, whether the rows come at once or through Kysely.
  const run = async (db: Kysely<DB>, ...args: Args): Promise<Row[]> => {
    const entry = entryFor(db, args);
    const parameters = entry.positions.map((p) => args[p]);
    const rows = readNow(db, entry, parameters);
    if (rows) return rows;
    const result = await db.executeQuery<Row>({ ...entry.compiled, parameters });
    return result.rows;
  };
  return Object.assign(run, { now });
}
