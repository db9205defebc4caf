import type { Kysely } from 'kysely';

/**
 * The coach's momentum score asks, for each of the last days, whether the person wrote that
 * day. Through (user_id, id) that meant reading up to 1,000 of their message times on every
 * chat write; this index answers each day with one seek, however long the history.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('chat_messages_user_role_created_idx')
    .on('chat_messages')
    .columns(['user_id', 'role', 'created_at'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('chat_messages_user_role_created_idx').execute();
}
