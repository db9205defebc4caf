import { sql, type Kysely } from 'kysely';
import { withId, withJson, withReference, withTimestamp } from './columns.js';

export async function up(db: Kysely<any>): Promise<void> {
  // The guest purge looks for guests (no email) idle past GUEST_TTL_DAYS; only they are indexed.
  await db.schema
    .createIndex('users_guest_last_active_idx')
    .on('users')
    .column('last_active_at')
    .where(sql.ref('email'), 'is', null)
    .execute();

  // One row per workbook run; the user's live run is the one not archived.
  let runs = db.schema.createTable('ps101_runs');
  runs = withId(db, runs);
  runs = withReference(db, runs, 'user_id', 'users.id');
  runs = runs
    .addColumn('flow_version', 'integer', (col) => col.notNull())
    .addColumn('current_step', 'integer', (col) => col.notNull())
    .addColumn('revision', 'integer', (col) => col.notNull());
  // {"<step>.<prompt>": "answer"}: read and written whole, merged in the service.
  runs = withJson(db, runs, 'answers');
  runs = withTimestamp(db, runs, 'started_at');
  runs = withTimestamp(db, runs, 'updated_at');
  runs = withTimestamp(db, runs, 'completed_at', (col) => col);
  runs = withTimestamp(db, runs, 'archived_at', (col) => col);
  await runs.execute();
  await db.schema
    .createIndex('ps101_runs_one_active_idx')
    .on('ps101_runs')
    .column('user_id')
    .unique()
    .where(sql.ref('archived_at'), 'is', null)
    .execute();
  await db.schema.createIndex('ps101_runs_user_idx').on('ps101_runs').columns(['user_id', 'id']).execute();

  let messages = db.schema.createTable('chat_messages');
  messages = withId(db, messages);
  messages = withReference(db, messages, 'user_id', 'users.id');
  messages = messages
    .addColumn('role', 'text', (col) => col.notNull())
    .addColumn('content', 'text', (col) => col.notNull())
    // Which coach wrote a reply ("offline", or the model's name); null for the person's own messages.
    .addColumn('provider', 'text');
  messages = withTimestamp(db, messages, 'created_at');
  await messages.execute();
  // Keyset paging: newest first by id within one user, so a page costs the same at any depth.
  await db.schema.createIndex('chat_messages_user_id_idx').on('chat_messages').columns(['user_id', 'id']).execute();

  let metrics = db.schema.createTable('coach_metrics');
  metrics = withId(db, metrics);
  metrics = withReference(db, metrics, 'user_id', 'users.id');
  metrics = withReference(db, metrics, 'message_id', 'chat_messages.id');
  metrics = metrics
    .addColumn('clarity', 'integer', (col) => col.notNull())
    .addColumn('action', 'integer', (col) => col.notNull())
    .addColumn('momentum', 'integer', (col) => col.notNull());
  metrics = withTimestamp(db, metrics, 'created_at');
  await metrics.execute();
  await db.schema.createIndex('coach_metrics_user_id_idx').on('coach_metrics').columns(['user_id', 'id']).execute();
  await db.schema.createIndex('coach_metrics_message_id_idx').on('coach_metrics').column('message_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('coach_metrics').execute();
  await db.schema.dropTable('chat_messages').execute();
  await db.schema.dropTable('ps101_runs').execute();
  await db.schema.dropIndex('users_guest_last_active_idx').execute();
}
