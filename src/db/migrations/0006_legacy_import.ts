import type { Kysely } from 'kysely';
import { isPostgres, withBytes, withId, withJson, withTimestamp, type Table } from './columns.js';

/**
 * What `mosaic import-legacy` brings from the predecessor (What Is My Delta) and keeps until
 * its owner claims it. The predecessor never linked work to accounts: work hangs off a legacy
 * session id only the person's browser still holds, so it waits here keyed by that id's
 * SHA-256 (never the id itself, which is a bearer secret).
 */
export async function up(db: Kysely<any>): Promise<void> {
  const idType = isPostgres(db) ? 'bigint' : 'integer';

  // One row per imported legacy account: marks it imported (a re-run skips it) and keeps the
  // normalized address it had, so a case-variant duplicate that got another address can still
  // log in with the address it knows (see src/legacy/accounts.ts).
  let accounts: Table = db.schema.createTable('legacy_accounts');
  accounts = accounts
    .addColumn('legacy_id', 'text', (col) => col.primaryKey())
    .addColumn('user_id', idType, (col) => col.references('users.id').onDelete('set null'))
    .addColumn('email', 'text', (col) => col.notNull());
  accounts = withTimestamp(db, accounts, 'imported_at');
  await accounts.execute();
  await db.schema.createIndex('legacy_accounts_email_idx').on('legacy_accounts').column('email').execute();

  // One row per legacy session holding work; it stays after a claim or removal (the work
  // goes), so a re-run of the import never brings claimed or expired work back.
  let sessions: Table = db.schema.createTable('legacy_sessions');
  sessions = sessions.addColumn('session_hash', 'text', (col) => col.primaryKey());
  sessions = withTimestamp(db, sessions, 'imported_at');
  sessions = withTimestamp(db, sessions, 'claimed_at', (col) => col);
  sessions = sessions.addColumn('claimed_by', idType, (col) => col.references('users.id').onDelete('set null'));
  sessions = withTimestamp(db, sessions, 'removed_at', (col) => col);
  await sessions.execute();
  await db.schema.createIndex('legacy_sessions_unclaimed_idx').on('legacy_sessions').columns(['claimed_at', 'removed_at', 'imported_at']).execute();

  // One row per piece of work, already mapped to Mosaic's shapes (`data`, JSON), with the bytes
  // of a file. Unique on its legacy table and id, so a re-run inserts nothing twice.
  let items: Table = db.schema.createTable('legacy_items');
  items = withId(db, items);
  items = items
    .addColumn('session_hash', 'text', (col) => col.notNull().references('legacy_sessions.session_hash').onDelete('cascade'))
    .addColumn('kind', 'text', (col) => col.notNull())
    .addColumn('legacy_id', 'text', (col) => col.notNull());
  items = withTimestamp(db, items, 'created_at');
  items = withJson(db, items, 'data');
  items = withBytes(db, items, 'content', (col) => col);
  items = items.addUniqueConstraint('legacy_items_kind_legacy_id_unique', ['kind', 'legacy_id']);
  await items.execute();
  await db.schema.createIndex('legacy_items_session_idx').on('legacy_items').columns(['session_hash', 'id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('legacy_items').execute();
  await db.schema.dropTable('legacy_sessions').execute();
  await db.schema.dropTable('legacy_accounts').execute();
}
