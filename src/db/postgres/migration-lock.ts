import { sql, type Kysely } from 'kysely';

/** The advisory lock key every Mosaic migration run takes (Kysely's own, so older builds agree). */
export const MIGRATION_LOCK_ID = BigInt('3853314791062309107');

/** Another instance held the migration lock longer than MIGRATION_LOCK_TIMEOUT_SECONDS. */
export class MigrationLockTimeoutError extends Error {
  override name = 'MigrationLockTimeoutError';
}

const LOCK_NOT_AVAILABLE = '55P03';

/**
 * Takes the migration lock for the rest of the current transaction, waiting at most
 * `timeoutMs`. Transaction-scoped (`pg_advisory_xact_lock`): released by the COMMIT or
 * ROLLBACK that ends the migration, on the same server connection, so a transaction pooler
 * can never strand it on a pooled connection the way a session lock and a separate unlock
 * statement could. Throws MigrationLockTimeoutError when the wait runs out.
 */
export async function takeMigrationLock(trx: Kysely<any>, timeoutMs: number): Promise<void> {
  try {
    await sql`select set_config('lock_timeout', ${String(timeoutMs)}, true)`.execute(trx);
    await sql`select pg_advisory_xact_lock(${sql.lit(MIGRATION_LOCK_ID)})`.execute(trx);
  } catch (error) {
    if ((error as { code?: string }).code !== LOCK_NOT_AVAILABLE) throw error;
    throw new MigrationLockTimeoutError(
      `could not get the migration lock within ${Math.round(timeoutMs / 1000)} s: another process is migrating this database ` +
        '(or holds the lock); MIGRATION_LOCK_TIMEOUT_SECONDS sets the wait',
    );
  }
}
