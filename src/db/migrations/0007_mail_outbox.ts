import type { Kysely } from 'kysely';
import { isPostgres as isPg, withId, withReference, withTimestamp } from './columns.js';

/**
 * Mail and the tokens it carries:
 * - `mail_outbox`: every mail, written in the transaction of the change that asks for it, then
 *   delivered by a sender in each instance (a due row is claimed by moving `next_attempt_at`
 *   past a lease, so two instances never take the same row);
 * - `account_tokens`: password-reset, address-verification and address-change tokens, by their
 *   SHA-256 only;
 * - `users.email_verified_at`: when the account's current address was confirmed.
 */
export async function up(db: Kysely<any>): Promise<void> {
  let outbox = db.schema.createTable('mail_outbox');
  outbox = withId(db, outbox);
  outbox = outbox
    .addColumn('kind', 'text', (col) => col.notNull())
    .addColumn('recipient', 'text', (col) => col.notNull())
    .addColumn('subject', 'text', (col) => col.notNull())
    .addColumn('text_body', 'text', (col) => col.notNull())
    .addColumn('html_body', 'text', (col) => col.notNull())
    .addColumn('request_id', 'text')
    .addColumn('state', 'text', (col) => col.notNull())
    .addColumn('attempts', 'integer', (col) => col.notNull());
  outbox = withTimestamp(db, outbox, 'created_at');
  outbox = withTimestamp(db, outbox, 'next_attempt_at');
  outbox = withTimestamp(db, outbox, 'give_up_at');
  outbox = withTimestamp(db, outbox, 'finished_at', (col) => col);
  outbox = outbox.addColumn('last_error', 'text');
  await outbox.execute();
  await db.schema.createIndex('mail_outbox_due_idx').on('mail_outbox').columns(['state', 'next_attempt_at']).execute();

  let tokens = db.schema.createTable('account_tokens');
  tokens = withId(db, tokens);
  tokens = withReference(db, tokens, 'user_id', 'users.id');
  tokens = tokens
    .addColumn('purpose', 'text', (col) => col.notNull())
    .addColumn('token_hash', 'text', (col) => col.notNull().unique())
    .addColumn('email', 'text', (col) => col.notNull());
  tokens = withTimestamp(db, tokens, 'created_at');
  tokens = withTimestamp(db, tokens, 'expires_at');
  await tokens.execute();
  await db.schema.createIndex('account_tokens_user_idx').on('account_tokens').columns(['user_id', 'purpose']).execute();
  await db.schema.createIndex('account_tokens_expires_at_idx').on('account_tokens').column('expires_at').execute();

  await db.schema.alterTable('users').addColumn('email_verified_at', isPg(db) ? 'timestamptz(3)' : 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('users').dropColumn('email_verified_at').execute();
  await db.schema.dropTable('account_tokens').execute();
  await db.schema.dropTable('mail_outbox').execute();
}
