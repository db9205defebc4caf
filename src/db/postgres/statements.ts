import { createHash } from 'node:crypto';
import type { PostgresCursor, PostgresPool, PostgresPoolClient, PostgresQueryResult } from 'kysely';
import type pg from 'pg';
import { STATEMENT_CACHE_SIZE } from '../prepared.js';
import { parseBinaryCopy, type BinaryCopyRow } from './binary-copy.js';

// PostgreSQL's named statements: see STATEMENT_CACHE_SIZE for why statements are prepared once.

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
