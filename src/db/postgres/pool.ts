import pg from 'pg';

const PG_INT8 = 20;
const PG_JSON = 114;
const PG_JSONB = 3802;
const PG_TIMESTAMPTZ = 1184;

// timestamptz text as a UTC session sends it: `2026-01-01 12:00:00.5+00` (trailing zeros of the
// fraction dropped). Anchored, no nested quantifiers: linear in the value's length.
const UTC_TIMESTAMPTZ = /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d)(?:\.(\d{1,6}))?\+00$/;

/**
 * A timestamptz value as the ISO text both backends use (`2026-01-01T12:00:00.500Z`). Every
 * listed row carries one or two; going through `Date` cost ~1–2 µs each (a 50-message chat
 * page: 100 µs), so UTC values, what most servers send, are rearranged as text and any other
 * offset still goes through `Date`.
 */
export function isoFromTimestamptz(value: string): string {
  const utc = UTC_TIMESTAMPTZ.exec(value);
  if (!utc) return new Date(value).toISOString();
  const milliseconds = (utc[3] ?? '').padEnd(3, '0').slice(0, 3);
  return `${utc[1]}T${utc[2]}.${milliseconds}Z`;
}

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
        return isoFromTimestamptz;
      case PG_JSON:
      case PG_JSONB:
        return (value: string) => value;
      default:
        return pg.types.getTypeParser(oid, 'text');
    }
  },
} as pg.CustomTypesConfig;

export function createPgPool(url: string, poolMax: number, statementTimeoutMs: number, connectTimeoutMs = 5_000): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max: poolMax,
    statement_timeout: statementTimeoutMs,
    // Bounds both opening a connection and waiting for a free one in the pool, so a request
    // meets a stopped or saturated database with an error (503) in seconds, never a hang.
    connectionTimeoutMillis: connectTimeoutMs,
    idleTimeoutMillis: 30_000,
    // Detects a peer that vanished without closing the connection (host down, network cut).
    keepAlive: true,
    application_name: 'mosaic',
    types: pgTypes,
  });
  // An idle client whose server went away emits 'error' on the pool, which has already
  // discarded it; unhandled, the event would crash the process. The next query connects afresh.
  pool.on('error', () => {});
  // A client checked out of the pool has no 'error' listener (pg-pool removes its own), so a
  // connection cut between two statements of a transaction would crash the process. The
  // client is then unusable: its next query fails (503) and the pool discards it on release.
  pool.on('connect', (client) => {
    client.on('error', () => {});
  });
  return pool;
}
