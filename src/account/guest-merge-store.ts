import type { Kysely } from 'kysely';
import { isPostgres } from '../db/migrations/columns.js';
import type { DB } from '../db/schema.js';

// The queries of a guest's merge into an account (guest-merge.ts). They move rows between two
// users of tables other capabilities own, with those tables' columns as migrations 0002 and
// 0003 define them; every one runs inside the merge's transaction.

/** The guest's row, locked until the merge commits (PostgreSQL; SQLite has one writer). */
export async function lockGuest(db: Kysely<DB>, guestId: number): Promise<boolean> {
  let query = db.selectFrom('users').select('id').where('id', '=', guestId).where('email', 'is', null);
  if (isPostgres(db)) query = query.forUpdate();
  return (await query.executeTakeFirst()) !== undefined;
}

/** The account's row, locked like an upload locks it, so no upload passes the quota meanwhile. */
export async function lockAccount(db: Kysely<DB>, userId: number): Promise<void> {
  if (isPostgres(db)) await db.selectFrom('users').select('id').where('id', '=', userId).forUpdate().execute();
}

export async function countWork(db: Kysely<DB>, userId: number) {
  const count = async (table: 'chat_messages' | 'files' | 'job_matches' | 'resumes' | 'tracked_jobs') => {
    const row = await db.selectFrom(table).select((eb) => eb.fn.countAll<number | string>().as('n')).where('user_id', '=', userId).executeTakeFirstOrThrow();
    return Number(row.n);
  };
  const runs = await db.selectFrom('ps101_runs').select(['answers']).where('user_id', '=', userId).execute();
  return {
    workbookRuns: runs.filter((run) => run.answers !== '{}').length,
    chatMessages: await count('chat_messages'),
    files: await count('files'),
    jobMatches: await count('job_matches'),
    resumes: await count('resumes'),
    trackedJobs: await count('tracked_jobs'),
  };
}

export function runsOf(db: Kysely<DB>, userId: number) {
  return db.selectFrom('ps101_runs').selectAll().where('user_id', '=', userId).orderBy('id').execute();
}

export async function moveRun(db: Kysely<DB>, runId: number, to: number, archivedAt: string | null): Promise<void> {
  await db.updateTable('ps101_runs').set({ user_id: to, archived_at: archivedAt }).where('id', '=', runId).execute();
}

/** Gives the account's live run the guest's answers, as one more revision (a stale save elsewhere then conflicts). */
export async function takeOverRun(db: Kysely<DB>, runId: number, run: { answers: string; current_step: number; completed_at: string | null; now: string }): Promise<void> {
  await db
    .updateTable('ps101_runs')
    .set((eb) => ({ answers: run.answers, current_step: run.current_step, completed_at: run.completed_at, updated_at: run.now, revision: eb('revision', '+', 1) }))
    .where('id', '=', runId)
    .execute();
}

export async function deleteRun(db: Kysely<DB>, runId: number): Promise<void> {
  await db.deleteFrom('ps101_runs').where('id', '=', runId).execute();
}

/** Moves every row of the user-owned tables that need no rule: chat, its metrics, files, résumés, own jobs (their history follows by id). */
export async function moveOwnedRows(db: Kysely<DB>, from: number, to: number): Promise<void> {
  for (const table of ['chat_messages', 'coach_metrics', 'files', 'resumes', 'tracked_jobs'] as const) {
    await db.updateTable(table).set({ user_id: to }).where('user_id', '=', from).execute();
  }
}

export function jobMatchesOf(db: Kysely<DB>, userId: number) {
  return db.selectFrom('job_matches').selectAll().where('user_id', '=', userId).execute();
}

export async function moveJobMatch(db: Kysely<DB>, matchId: number, to: number): Promise<void> {
  await db.updateTable('job_matches').set({ user_id: to }).where('id', '=', matchId).execute();
}

/** Folds the guest's match of a role into the account's match of the same role, history and résumés included. */
export async function foldJobMatch(
  db: Kysely<DB>,
  guestMatchId: number,
  accountMatchId: number,
  kept: { status: string | null; notes: string | null; current: boolean; now: string },
): Promise<void> {
  await db.updateTable('job_match_events').set({ job_match_id: accountMatchId }).where('job_match_id', '=', guestMatchId).execute();
  await db.updateTable('resumes').set({ job_match_id: accountMatchId }).where('job_match_id', '=', guestMatchId).execute();
  await db
    .updateTable('job_matches')
    .set({ status: kept.status, notes: kept.notes, current: kept.current, updated_at: kept.now })
    .where('id', '=', accountMatchId)
    .execute();
  await db.deleteFrom('job_matches').where('id', '=', guestMatchId).execute();
}

export async function deleteUser(db: Kysely<DB>, userId: number): Promise<void> {
  await db.deleteFrom('users').where('id', '=', userId).where('email', 'is', null).execute();
}
