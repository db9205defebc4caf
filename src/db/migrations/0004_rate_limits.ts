import type { Kysely } from 'kysely';
import { withTimestamp } from './columns.js';

/**
 * Rate-limit counters: one row per bucket (what is limited, for whom), counting hits in a
 * window that starts at the bucket's first hit. `login_failures` (0001) is no longer written
 * by this version; it stays so an older instance still serving during a rolling deploy keeps
 * working, and the purge empties it.
 */
export async function up(db: Kysely<any>): Promise<void> {
  let limits = db.schema.createTable('rate_limits');
  limits = limits
    .addColumn('bucket', 'text', (col) => col.primaryKey())
    .addColumn('hits', 'integer', (col) => col.notNull());
  limits = withTimestamp(db, limits, 'window_start');
  limits = withTimestamp(db, limits, 'expires_at');
  await limits.execute();
  await db.schema.createIndex('rate_limits_expires_at_idx').on('rate_limits').column('expires_at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('rate_limits').execute();
}
