import path from 'node:path';
import { Kysely, sql } from 'kysely';
import type pg from 'pg';
import { maskDatabaseUrl, poolerSettings, type DatabaseConfig } from '../config.js';
import { MosaicPostgresDialect } from './postgres/dialect.js';
import { MosaicSqliteDialect, openSqlite } from './sqlite/dialect.js';
import type { DB } from './schema.js';
import { allowImmediateReads, STATEMENT_CACHE_SIZE } from './prepared.js';
import { namedStatementPool } from './postgres/statements.js';
import { cachingSqliteDatabase } from './sqlite/statements.js';
import { SqliteFileGuard } from './unavailable.js';

export type Backend = DatabaseConfig['backend'];

export interface Database {
  db: Kysely<DB>;
  backend: Backend;
  /** Where the data lives, fit for logs (password masked). */
  location: string;
  close(): Promise<void>;
}

// The pool behind each PostgreSQL Kysely instance, for the metrics' size/idle/waiting gauges.
const pools = new WeakMap<Kysely<DB>, pg.Pool>();

export interface PoolStats {
  size: number;
  idle: number;
  waiting: number;
}

/** The PostgreSQL pool's connections (all, idle) and the requests waiting for one; null on SQLite. */
export function poolStats(db: Kysely<DB>): PoolStats | null {
  const pool = pools.get(db);
  return pool ? { size: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount } : null;
}

const sqliteGuards = new WeakMap<Kysely<DB>, SqliteFileGuard>();

/** Throws when the SQLite file behind `db` is gone or read-only; does nothing on PostgreSQL. */
export function checkDatabaseFile(db: Kysely<DB>): void {
  sqliteGuards.get(db)?.check();
}

type PostgresConfig = Extract<DatabaseConfig, { backend: 'postgres' }>;

/**
 * The one place deciding whether statements are named (prepared once per server connection).
 * A transaction pooler hands each transaction a different server connection, where a name
 * prepared on another is missing or, worse, another's: so never behind one, unless the
 * operator says the pooler tracks them (DATABASE_NAMED_STATEMENTS=true, PgBouncer 1.21+).
 * Everything that opens PostgreSQL through Kysely (server, CLI, copy, backup, verify, importers)
 * goes through openDatabase, which asks this.
 */
export function usesNamedStatements(config: PostgresConfig): boolean {
  if (config.namedStatements !== undefined) return config.namedStatements;
  return config.pooler !== 'transaction';
}

export function openDatabase(config: DatabaseConfig): Database {
  if (config.backend === 'postgres') {
    // pg (~15 MB resident) is loaded only when PostgreSQL is configured; Kysely opens the
    // pool on the first query.
    const transactionPooler = config.pooler === 'transaction';
    const openPool = async () => {
      const { createPgPool } = await import('./postgres/pool.js');
      // Behind a transaction pooler the timeout cannot be a startup parameter (PgBouncer refuses
      // it): the pool below sets it per transaction instead.
      const pool = createPgPool(config.url, config.poolMax, transactionPooler ? 0 : config.statementTimeoutMs, config.connectTimeoutMs);
      pools.set(db, pool);
      // Unnamed only (capacity 0) for PgBouncer transaction pooling; binary COPY still works.
      return namedStatementPool(pool, usesNamedStatements(config) ? STATEMENT_CACHE_SIZE : 0, {
        localStatementTimeoutMs: transactionPooler ? config.statementTimeoutMs : 0,
      });
    };
    const dialect = new MosaicPostgresDialect({ pool: openPool });
    const db: Kysely<DB> = new Kysely<DB>({ dialect });
    return { db, backend: 'postgres', location: maskDatabaseUrl(config.url), close: () => db.destroy() };
  }
  const sqlite = openSqlite(config.file, config.synchronous);
  const guard = new SqliteFileGuard(config.file);
  // Writes are refused once the file is gone or read-only (see SqliteFileGuard); booleans and
  // Dates are bound as SQLite stores them. Both happen per statement, without Kysely plugins.
  const database = cachingSqliteDatabase(sqlite, { beforeWrite: () => guard.check() });
  const db = new Kysely<DB>({ dialect: new MosaicSqliteDialect({ database }) });
  allowImmediateReads(db, database);
  sqliteGuards.set(db, guard);
  return { db, backend: 'sqlite', location: path.resolve(config.file), close: () => db.destroy() };
}

/** A location given on the command line: a postgres:// URL, or else a SQLite file path. */
export function databaseConfigFromLocation(location: string): DatabaseConfig {
  if (/^postgres(ql)?:\/\//i.test(location)) {
    // The pooler settings come from the environment, as for the configured database: a URL
    // through PgBouncer given to `db copy` or `db backup` needs them as much.
    return { backend: 'postgres', url: location, poolMax: 4, statementTimeoutMs: 0, ...poolerSettings() };
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(location)) {
    throw new Error(`unsupported database location ${location} (use postgres://… or a SQLite file path)`);
  }
  return { backend: 'sqlite', file: location, synchronous: 'full' };
}

/** True when the database answers a trivial query. */
export async function pingDatabase(db: Kysely<DB>): Promise<boolean> {
  try {
    await sql`select 1`.execute(db);
    return true;
  } catch {
    return false;
  }
}
