import type { Kysely, Selectable } from 'kysely';
import type { ChatMessagesTable, CoachMetricsTable, DB } from '../db/schema.js';

export type MessageRow = Selectable<ChatMessagesTable>;
export type MetricsRow = Selectable<CoachMetricsTable>;

export function insertMessage(db: Kysely<DB>, message: Omit<MessageRow, 'id'>): Promise<MessageRow> {
  return db.insertInto('chat_messages').values(message).returningAll().executeTakeFirstOrThrow();
}

/**
 * The user's messages newest first, below `beforeId` when given. A keyset read on the
 * (user_id, id) index: the cost is the page size, however long the history.
 */
export function listMessages(
  db: Kysely<DB>,
  userId: number,
  page: { beforeId?: number | undefined; limit: number },
): Promise<MessageRow[]> {
  // `user_id = ?` would let PostgreSQL treat user_id as a constant and serve `order by id`
  // from the primary key, filtering on user_id: its estimate assumes the user's rows are
  // spread evenly over ids, so for a person with many old messages it walked every newer
  // message of everyone else (100,000 rows, 2,369 buffers, 9.7 ms instead of 7 buffers,
  // 0.03 ms; see ARCHITECTURE.md). The closed range selects the same rows but keeps user_id
  // in the sort order, which only the (user_id, id) index provides, on both backends.
  let query = db
    .selectFrom('chat_messages')
    .selectAll()
    .where('user_id', '>=', userId)
    .where('user_id', '<=', userId);
  if (page.beforeId !== undefined) query = query.where('id', '<', page.beforeId);
  return query.orderBy('user_id', 'desc').orderBy('id', 'desc').limit(page.limit).execute();
}

/** When the user wrote their messages since `since`, newest first, at most `limit`. */
export async function userMessageTimesSince(db: Kysely<DB>, userId: number, since: string, limit: number): Promise<string[]> {
  const rows = await db
    .selectFrom('chat_messages')
    .select('created_at')
    .where('user_id', '=', userId)
    .where('role', '=', 'user')
    .where('created_at', '>', since)
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((row) => row.created_at);
}

export function insertMetrics(db: Kysely<DB>, metrics: Omit<MetricsRow, 'id'>): Promise<MetricsRow> {
  return db.insertInto('coach_metrics').values(metrics).returningAll().executeTakeFirstOrThrow();
}

/** The user's most recent metrics, newest first. */
export function listMetrics(db: Kysely<DB>, userId: number, limit: number): Promise<MetricsRow[]> {
  return db.selectFrom('coach_metrics').selectAll().where('user_id', '=', userId).orderBy('id', 'desc').limit(limit).execute();
}
