import pg from 'pg';

const PG_INT8 = 20;
const PG_JSON = 114;
const PG_JSONB = 3802;
const PG_TIMESTAMPTZ = 1184;

/**
 * Type parsers that make PostgreSQL rows look like SQLite rows: ids as numbers, timestamps
 * as ISO strings, JSON as text. Kysely never converts values, so this is the one place
 * where the two backends are made to agree.
 */
export const pgTypes = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (format === 'binary') return pg.types.getTypeParser(oid, 'binary');
    switch (oid) {
      case PG_INT8:
        return (value: string) => {
          const n = Number(value);
          if (!Number.isSafeInteger(n)) throw new RangeError(`int8 value ${value} is beyond 2^53`);
          return n;
        };
      case PG_TIMESTAMPTZ:
        return (value: string) => new Date(value).toISOString();
      case PG_JSON:
      case PG_JSONB:
        return (value: string) => value;
      default:
        return pg.types.getTypeParser(oid, 'text');
    }
  },
} as pg.CustomTypesConfig;

export function createPgPool(url: string, poolMax: number, statementTimeoutMs: number): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max: poolMax,
    statement_timeout: statementTimeoutMs,
    connectionTimeoutMillis: 10_000,
    idleTimeoutMillis: 30_000,
    application_name: 'mosaic',
    types: pgTypes,
  });
  // An idle client whose server went away emits 'error' on the pool; unhandled, it would
  // crash the process. The next query gets a fresh connection instead.
  pool.on('error', () => {});
  return pool;
}
