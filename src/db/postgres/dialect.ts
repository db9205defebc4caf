import { PostgresAdapter, PostgresDialect, sql, type DialectAdapter, type Kysely } from 'kysely';
import { MIGRATION_LOCK_ID } from './migration-lock.js';

// Kysely only: the pg driver itself (pool.ts) is loaded when PostgreSQL is first used.

/**
 * Kysely's PostgreSQL adapter takes a session-level lock and frees it with a second statement;
 * Mosaic's migration run (src/db/migrate.ts) already holds the transaction-level lock when the
 * migrator asks, so here asking takes it again (advisory locks are re-entrant within a
 * session) and releasing is left to the transaction's end.
 */
class TransactionLockAdapter extends PostgresAdapter {
  override async acquireMigrationLock(db: Kysely<any>): Promise<void> {
    await sql`select pg_advisory_xact_lock(${sql.lit(MIGRATION_LOCK_ID)})`.execute(db);
  }

  override async releaseMigrationLock(): Promise<void> {}
}

/** Kysely's PostgreSQL dialect with transaction-scoped migration locks. */
export class MosaicPostgresDialect extends PostgresDialect {
  override createAdapter(): DialectAdapter {
    return new TransactionLockAdapter();
  }
}
