import { SelectQueryNode } from 'kysely';
import type { Compilable, CompiledQuery, Kysely } from 'kysely';

/**
 * The statement caches behind both dialects (sqlite/statements.ts, postgres/statements.ts).
 * Profiles of who-am-I showed better-sqlite3 re-preparing the same SQL text on every request
 * (16 % of busy time), and PostgreSQL parsing and planning every unnamed statement (planning
 * ~7× execution for the session join). The application's SQL texts are few and fixed, so each
 * is prepared once; the caches are bounded because some texts vary (`in (…)` lists of
 * different lengths).
 */
export const STATEMENT_CACHE_SIZE = 256;

// The root Kysely instance of each SQLite database and its immediate reads (see
// `allowImmediateReads`). A transaction is another instance, so it is never found here.
const immediateReads = new WeakMap<object, ReadIfIdle>();

/** Rows read at once when the connection is free and the statement only reads; else undefined. */
type ReadIfIdle = (sql: string, parameters: ReadonlyArray<unknown>) => unknown[] | undefined;

/**
 * Lets `compiledOnce` queries on `db` that only read run straight on the SQLite connection
 * when it is free, instead of through Kysely's executor: its connection mutex, result
 * transform and promise chain cost more than the statement itself for a one-row read
 * (who-am-I: ~30,000 of 290,000 instructions a request, under callgrind). Only for a Kysely
 * instance without plugins, since the result does not pass through them.
 */
export function allowImmediateReads(db: Kysely<any>, database: { readIfIdle: ReadIfIdle }): void {
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
