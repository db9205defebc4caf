import type { Kysely } from 'kysely';
import { withId, withReference, withTimestamp } from './columns.js';

export async function up(db: Kysely<any>): Promise<void> {
  let users = db.schema.createTable('users');
  users = withId(db, users);
  users = users
    .addColumn('email', 'text', (col) => col.unique())
    .addColumn('password_hash', 'text');
  users = withTimestamp(db, users, 'created_at');
  users = withTimestamp(db, users, 'updated_at');
  users = withTimestamp(db, users, 'last_active_at');
  await users.execute();

  let sessions = db.schema.createTable('sessions');
  sessions = withId(db, sessions);
  sessions = withReference(db, sessions, 'user_id', 'users.id');
  sessions = sessions.addColumn('token_hash', 'text', (col) => col.notNull().unique());
  sessions = withTimestamp(db, sessions, 'created_at');
  sessions = withTimestamp(db, sessions, 'expires_at');
  sessions = withTimestamp(db, sessions, 'refreshed_at');
  sessions = sessions.addColumn('user_agent', 'text').addColumn('ip', 'text');
  await sessions.execute();
  await db.schema.createIndex('sessions_user_id_idx').on('sessions').column('user_id').execute();
  await db.schema.createIndex('sessions_expires_at_idx').on('sessions').column('expires_at').execute();

  let failures = db.schema.createTable('login_failures');
  failures = withId(db, failures);
  failures = failures.addColumn('subject', 'text', (col) => col.notNull());
  failures = withTimestamp(db, failures, 'failed_at');
  await failures.execute();
  await db.schema
    .createIndex('login_failures_subject_idx')
    .on('login_failures')
    .columns(['subject', 'failed_at'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('login_failures').execute();
  await db.schema.dropTable('sessions').execute();
  await db.schema.dropTable('users').execute();
}
