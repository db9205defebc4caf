import type { Kysely } from 'kysely';
import { withReference, withTimestamp, type Table } from './columns.js';

/**
 * Browsers that have logged in to an account: the SHA-256 of a random device token (kept in an
 * HttpOnly cookie) per user. A login from a known browser is counted on that browser's own
 * budget, so strangers' wrong guesses from elsewhere cannot lock its owner out.
 */
export async function up(db: Kysely<any>): Promise<void> {
  let devices: Table = db.schema.createTable('login_devices');
  devices = withReference(db, devices, 'user_id', 'users.id');
  devices = devices.addColumn('token_hash', 'text', (col) => col.notNull());
  devices = withTimestamp(db, devices, 'last_login_at');
  devices = devices.addPrimaryKeyConstraint('login_devices_pkey', ['user_id', 'token_hash']);
  await devices.execute();
  await db.schema.createIndex('login_devices_last_login_at_idx').on('login_devices').column('last_login_at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('login_devices').execute();
}
