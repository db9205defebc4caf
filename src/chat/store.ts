import { sql, type Kysely, type Selectable } from 'kysely';
import type { ActivityDay } from '../coach/scores.js';
import type { ChatMessagesTable, CoachMetricsTable, DB } from '../db/schema.js';
import { compiledOnce } from '../db/prepared.js';
import { readBool } from '../db/values.js';
import { isPostgres } from '../db/migrations/columns.js';
import { lockUserFirst } from '../db/user-lock.js';

export type MessageRow = Selectable<ChatMessagesTable>;
export type MetricsRow = Selectable<CoachMetricsTable>;

export function insertMessage(db: Kysely<DB>, message: Omit<MessageRow, 'id'>): Promise<MessageRow> {
  return db.insertInto('chat_messages').values(message).returningAll().executeTakeFirstOrThrow();
}

// `user_id = ?` would let PostgreSQL treat user_id as a constant and serve `order by id` from
// the primary key, filtering on user_id: its estimate assumes the user's rows are spread evenly
// over ids, so for a person with many old messages it walked every newer message of everyone
// else (100,000 rows, 2,369 buffers, 9.7 ms instead of 7 buffers, 0.03 ms; see ARCHITECTURE.md).
// The closed range selects the same rows but keeps user_id in the sort order, which only the
// (user_id, id) index provides, on both backends.
const newestFirst = (db: Kysely<DB>, userId: number, limit: number) =>
  db
    .selectFrom('chat_messages')
    .selectAll()
    .where('user_id', '>=', userId)
    .where('user_id', '<=', userId)
    .orderBy('user_id', 'desc')
    .orderBy('id', 'desc')
    .limit(limit);

// The chat page is the heaviest read people repeat: both forms are compiled once (see db/prepared.ts).
const newestPage = compiledOnce(newestFirst);
const olderPage = compiledOnce((db: Kysely<DB>, userId: number, beforeId: number, limit: number) =>
  newestFirst(db, userId, limit).where('id', '<', beforeId),
);

/**
 * The user's messages newest first, below `beforeId` when given. A keyset read on the
 * (user_id, id) index: the cost is the page size, however long the history.
 */
export function listMessages(
  db: Kysely<DB>,
  userId: number,
  page: { beforeId?: number | undefined; limit: number },
): Promise<MessageRow[]> {
  return page.beforeId === undefined ? newestPage(db, userId, page.limit) : olderPage(db, userId, page.beforeId, page.limit);
}

/**
 * The user's message, locked until the transaction ends on PostgreSQL, so two replies to it at
 * once are stored one after the other (each sees the other's). The user's row is locked first
 * (key share, as the reply's foreign key would): an account deletion takes the user, then its
 * messages, and taking them in the other order deadlocked with it. SQLite needs no lock: a
 * write transaction there already excludes every other writer.
 */
export async function findMessage(db: Kysely<DB>, userId: number, id: number, options: { lock?: boolean } = {}): Promise<MessageRow | undefined> {
  const lock = options.lock === true && isPostgres(db);
  if (lock) await lockUserFirst(db, userId);
  let query = db.selectFrom('chat_messages').selectAll().where('user_id', '=', userId).where('id', '=', id);
  if (lock) query = query.forUpdate();
  return query.executeTakeFirst();
}

/** The user's first `limit` messages after `id`, oldest first. */
export function messagesAfter(db: Kysely<DB>, userId: number, id: number, limit: number): Promise<MessageRow[]> {
  return db.selectFrom('chat_messages').selectAll().where('user_id', '=', userId).where('id', '>', id).orderBy('id').limit(limit).execute();
}

/** Whether the user wrote a message after message `id`: one index seek. */
export async function hasUserMessageAfter(db: Kysely<DB>, userId: number, id: number): Promise<boolean> {
  const row = await db.selectFrom('chat_messages').select('id').where('user_id', '=', userId).where('id', '>', id).where('role', '=', 'user').limit(1).executeTakeFirst();
  return row !== undefined;
}

export async function userExists(db: Kysely<DB>, userId: number): Promise<boolean> {
  return (await db.selectFrom('users').select('id').where('id', '=', userId).executeTakeFirst()) !== undefined;
}

/** Deletes the coach's replies after message `id` (their metrics go with them, by cascade). */
export async function deleteRepliesAfter(db: Kysely<DB>, userId: number, id: number): Promise<void> {
  await db.deleteFrom('chat_messages').where('user_id', '=', userId).where('role', '=', 'coach').where('id', '>', id).execute();
}

/** Whether the user has at least `count` messages: one index walk of at most `count` entries. */
export async function hasAtLeastMessages(db: Kysely<DB>, userId: number, count: number): Promise<boolean> {
  const row = await db.selectFrom('chat_messages').select('id').where('user_id', '=', userId).orderBy('id', 'desc').limit(1).offset(count - 1).executeTakeFirst();
  return row !== undefined;
}

/** Deletes every message of the user (their metrics go with them, by cascade). */
export async function deleteAllMessages(db: Kysely<DB>, userId: number): Promise<number> {
  const result = await db.deleteFrom('chat_messages').where('user_id', '=', userId).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/**
 * How many of these days (see `activityDays`) have a message by the user: one seek each on
 * (user_id, role, created_at), so the cost does not grow with the history.
 */

export async function countActiveDays(db: Kysely<DB>, userId: number, days: ActivityDay[]): Promise<number> {
  const row = await db
    .selectNoFrom((eb) =>
      days.map((day, index) =>
        eb
          .exists(
            eb
              .selectFrom('chat_messages')
              .select(sql.lit(1).as('one'))
              .where('user_id', '=', userId)
              .where('role', '=', 'user')
              .where('created_at', day.fromExclusive ? '>' : '>=', day.from)
              .$if(day.to !== null, (query) => query.where('created_at', '<', day.to!)),
          )
          .as(`day${index}`),
      ),
    )
    .executeTakeFirstOrThrow();
  return Object.values(row).filter(readBool).length;
}

export function insertMetrics(db: Kysely<DB>, metrics: Omit<MetricsRow, 'id'>): Promise<MetricsRow> {
  return db.insertInto('coach_metrics').values(metrics).returningAll().executeTakeFirstOrThrow();
}

/** The user's most recent metrics, newest first. */
export function listMetrics(db: Kysely<DB>, userId: number, limit: number): Promise<MetricsRow[]> {
  return db.selectFrom('coach_metrics').selectAll().where('user_id', '=', userId).orderBy('id', 'desc').limit(limit).execute();
}
