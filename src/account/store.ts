import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';

// Reads every table that holds the person's data, for the export. The workbook and chat tables
// belong to other capabilities; their columns are read as the 0002 migration defines them.

export function findAccount(db: Kysely<DB>, userId: number) {
  return db
    .selectFrom('users')
    .select(['id', 'email', 'password_hash', 'created_at', 'updated_at', 'last_active_at'])
    .where('id', '=', userId)
    .executeTakeFirst();
}

export function listSessions(db: Kysely<DB>, userId: number) {
  // Never the token hash: it is a credential, not the person's data.
  return db
    .selectFrom('sessions')
    .select(['id', 'created_at', 'expires_at', 'refreshed_at', 'user_agent', 'ip'])
    .where('user_id', '=', userId)
    .orderBy('id')
    .execute();
}

export function listWorkbookRuns(db: Kysely<DB>, userId: number) {
  return db.selectFrom('ps101_runs').selectAll().where('user_id', '=', userId).orderBy('id').execute();
}

export function listChatMessages(db: Kysely<DB>, userId: number) {
  return db.selectFrom('chat_messages').selectAll().where('user_id', '=', userId).orderBy('id').execute();
}

export function listCoachMetrics(db: Kysely<DB>, userId: number) {
  return db.selectFrom('coach_metrics').selectAll().where('user_id', '=', userId).orderBy('id').execute();
}

export function listJobMatches(db: Kysely<DB>, userId: number) {
  return db.selectFrom('job_matches').selectAll().where('user_id', '=', userId).orderBy('id').execute();
}

export function listJobMatchEvents(db: Kysely<DB>, userId: number) {
  return db
    .selectFrom('job_match_events')
    .innerJoin('job_matches', 'job_matches.id', 'job_match_events.job_match_id')
    .selectAll('job_match_events')
    .where('job_matches.user_id', '=', userId)
    .orderBy('job_match_events.id')
    .execute();
}

export function listResumes(db: Kysely<DB>, userId: number) {
  return db.selectFrom('resumes').selectAll().where('user_id', '=', userId).orderBy('id').execute();
}

export function listResumeFeedback(db: Kysely<DB>, userId: number) {
  return db
    .selectFrom('resume_feedback')
    .innerJoin('resumes', 'resumes.id', 'resume_feedback.resume_id')
    .selectAll('resume_feedback')
    .where('resumes.user_id', '=', userId)
    .orderBy('resume_feedback.id')
    .execute();
}

export function listFiles(db: Kysely<DB>, userId: number) {
  return db.selectFrom('files').selectAll().where('user_id', '=', userId).orderBy('id').execute();
}

export function listFileContents(db: Kysely<DB>, userId: number) {
  return db
    .selectFrom('file_contents')
    .innerJoin('files', 'files.id', 'file_contents.file_id')
    .select(['file_contents.file_id', 'file_contents.content'])
    .where('files.user_id', '=', userId)
    .execute();
}

/** Failed logins written by versions before 0004 name the email (see migration 0004). */
export async function deleteOldLoginFailures(db: Kysely<DB>, email: string): Promise<void> {
  await db.deleteFrom('login_failures').where('subject', '=', `email:${email}`).execute();
}

/**
 * Deletes the user row; every table that holds the person's data references it (directly or
 * through a parent) with ON DELETE CASCADE, so one statement removes it all.
 */
export async function deleteUser(db: Kysely<DB>, userId: number): Promise<void> {
  await db.deleteFrom('users').where('id', '=', userId).execute();
}
