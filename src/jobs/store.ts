import type { Kysely, Selectable } from 'kysely';
import { compiledOnce } from '../db/prepared.js';
import type { DB, JobMatchEventsTable, JobMatchesTable } from '../db/schema.js';
import { isPostgres } from '../db/migrations/columns.js';
import { readJson } from '../db/values.js';

export type JobMatchRow = Selectable<JobMatchesTable>;
export type JobMatchEventRow = Selectable<JobMatchEventsTable>;

// The workbook and chat belong to other capabilities; matching only reads them, through these
// two queries, so the columns it depends on are named in one place.

/** The answers of the person's live workbook run (not archived), as text. */
export async function readWorkbookAnswers(db: Kysely<DB>, userId: number): Promise<string[]> {
  const run = await db
    .selectFrom('ps101_runs')
    .select('answers')
    .where('user_id', '=', userId)
    .where('archived_at', 'is', null)
    .executeTakeFirst();
  if (!run) return [];
  const answers = readJson<Record<string, unknown>>(run.answers);
  return Object.values(answers ?? {}).filter((value): value is string => typeof value === 'string');
}

/** What the person wrote in the chat (not the coach's replies), the most recent `limit` messages. */
export async function readUserChat(db: Kysely<DB>, userId: number, limit: number): Promise<string[]> {
  const rows = await db
    .selectFrom('chat_messages')
    .select('content')
    .where('user_id', '=', userId)
    .where('role', '=', 'user')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((row) => row.content);
}

// Current matches by rank, then tracked ones that dropped out, by their last score. The
// match list runs it on every read: compiled once (see db/prepared.ts).
export const listMatches: (db: Kysely<DB>, userId: number) => Promise<JobMatchRow[]> = compiledOnce(
  (db: Kysely<DB>, userId: number) =>
    db
      .selectFrom('job_matches')
      .selectAll()
      .where('user_id', '=', userId)
      .orderBy('current', 'desc')
      .orderBy('rank', 'asc')
      .orderBy('score', 'desc')
      .orderBy('id', 'asc'),
);

export function findMatch(db: Kysely<DB>, userId: number, matchId: number): Promise<JobMatchRow | undefined> {
  return db.selectFrom('job_matches').selectAll().where('user_id', '=', userId).where('id', '=', matchId).executeTakeFirst();
}

/**
 * The match, locked until the transaction ends on PostgreSQL, so two status changes at once
 * record a consistent history. SQLite has no row locks and needs none: a write transaction
 * there already excludes every other writer.
 */
export function findMatchForUpdate(db: Kysely<DB>, userId: number, matchId: number): Promise<JobMatchRow | undefined> {
  let query = db.selectFrom('job_matches').selectAll().where('user_id', '=', userId).where('id', '=', matchId);
  if (isPostgres(db)) query = query.forUpdate();
  return query.executeTakeFirst();
}

export interface RankedMatch {
  roleId: string;
  title: string;
  field: string;
  score: number;
  rank: number;
  matchedSkills: string[];
  matchedValues: string[];
  matchedWords: string[];
}

/** Inserts or refreshes one ranked role; status, notes and history of a tracked role are untouched. */
export async function upsertRankedMatch(db: Kysely<DB>, userId: number, match: RankedMatch, now: string): Promise<void> {
  const ranking = {
    title: match.title,
    field: match.field,
    score: match.score,
    rank: match.rank,
    matched_skills: JSON.stringify(match.matchedSkills),
    matched_values: JSON.stringify(match.matchedValues),
    matched_words: JSON.stringify(match.matchedWords),
    current: true,
    updated_at: now,
  };
  await db
    .insertInto('job_matches')
    .values({ user_id: userId, role_id: match.roleId, status: null, notes: null, created_at: now, ...ranking })
    .onConflict((conflict) => conflict.columns(['user_id', 'role_id']).doUpdateSet(ranking))
    .execute();
}

/** After a refresh: roles no longer ranked are deleted unless tracked; tracked ones stay, not current. */
export async function retireUnranked(db: Kysely<DB>, userId: number, rankedRoleIds: string[], now: string): Promise<void> {
  let stale = db.deleteFrom('job_matches').where('user_id', '=', userId).where('status', 'is', null);
  if (rankedRoleIds.length > 0) stale = stale.where('role_id', 'not in', rankedRoleIds);
  await stale.execute();
  let dropped = db
    .updateTable('job_matches')
    .set({ current: false, rank: null, updated_at: now })
    .where('user_id', '=', userId)
    .where('current', '=', true);
  if (rankedRoleIds.length > 0) dropped = dropped.where('role_id', 'not in', rankedRoleIds);
  await dropped.execute();
}

export async function updateTracking(
  db: Kysely<DB>,
  matchId: number,
  change: { status: string; notes?: string | null; now: string },
): Promise<void> {
  await db
    .updateTable('job_matches')
    .set({ status: change.status, ...(change.notes !== undefined ? { notes: change.notes } : {}), updated_at: change.now })
    .where('id', '=', matchId)
    .execute();
}

export async function insertEvent(db: Kysely<DB>, event: Omit<JobMatchEventRow, 'id'>): Promise<void> {
  await db.insertInto('job_match_events').values(event).execute();
}

/** How many status changes the user's history holds, across all their matches. */
export async function countEvents(db: Kysely<DB>, userId: number): Promise<number> {
  const { count } = await db
    .selectFrom('job_match_events')
    .select((eb) => eb.fn.countAll().as('count'))
    .where('job_match_id', 'in', db.selectFrom('job_matches').select('id').where('user_id', '=', userId))
    .executeTakeFirstOrThrow();
  return Number(count);
}

export function listEvents(db: Kysely<DB>, matchIds: number[]): Promise<JobMatchEventRow[]> {
  if (matchIds.length === 0) return Promise.resolve([]);
  return db.selectFrom('job_match_events').selectAll().where('job_match_id', 'in', matchIds).orderBy('id').execute();
}
