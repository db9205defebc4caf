import { sql, type Kysely } from 'kysely';
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

// The export reads every list in keyset pages (`id > after`, by id), so no list is ever read
// whole, whatever the person holds.

export interface Page {
  after: number;
  limit: number;
}

export function listSessions(db: Kysely<DB>, userId: number, page: Page) {
  // Never the token hash: it is a credential, not the person's data.
  return db
    .selectFrom('sessions')
    .select(['id', 'created_at', 'expires_at', 'refreshed_at', 'user_agent', 'ip'])
    .where('user_id', '=', userId)
    .where('id', '>', page.after)
    .orderBy('id')
    .limit(page.limit)
    .execute();
}

export function listWorkbookRuns(db: Kysely<DB>, userId: number, page: Page) {
  return db.selectFrom('ps101_runs').selectAll().where('user_id', '=', userId).where('id', '>', page.after).orderBy('id').limit(page.limit).execute();
}

export function listChatMessages(db: Kysely<DB>, userId: number, page: Page) {
  return db.selectFrom('chat_messages').selectAll().where('user_id', '=', userId).where('id', '>', page.after).orderBy('id').limit(page.limit).execute();
}

export function listCoachMetrics(db: Kysely<DB>, userId: number, page: Page) {
  return db.selectFrom('coach_metrics').selectAll().where('user_id', '=', userId).where('id', '>', page.after).orderBy('id').limit(page.limit).execute();
}

export function listJobMatches(db: Kysely<DB>, userId: number, page: Page) {
  return db.selectFrom('job_matches').selectAll().where('user_id', '=', userId).where('id', '>', page.after).orderBy('id').limit(page.limit).execute();
}

export function listJobMatchEvents(db: Kysely<DB>, matchIds: number[]) {
  return db.selectFrom('job_match_events').selectAll().where('job_match_id', 'in', matchIds).orderBy('id').execute();
}

// The person's own jobs (issue 24 item 3), read as migration 0010 defines them.
export function listTrackedJobs(db: Kysely<DB>, userId: number, page: Page) {
  return db.selectFrom('tracked_jobs').selectAll().where('user_id', '=', userId).where('id', '>', page.after).orderBy('id').limit(page.limit).execute();
}

export function listTrackedJobEvents(db: Kysely<DB>, jobIds: number[]) {
  return db.selectFrom('tracked_job_events').selectAll().where('tracked_job_id', 'in', jobIds).orderBy('id').execute();
}

export function listResumes(db: Kysely<DB>, userId: number, page: Page) {
  return db.selectFrom('resumes').selectAll().where('user_id', '=', userId).where('id', '>', page.after).orderBy('id').limit(page.limit).execute();
}

export function listResumeFeedback(db: Kysely<DB>, resumeIds: number[]) {
  return db.selectFrom('resume_feedback').selectAll().where('resume_id', 'in', resumeIds).orderBy('id').execute();
}

export function listFiles(db: Kysely<DB>, userId: number, page: Page) {
  return db.selectFrom('files').selectAll().where('user_id', '=', userId).where('id', '>', page.after).orderBy('id').limit(page.limit).execute();
}

/** A file's content, whole. */
export async function readFileContent(db: Kysely<DB>, fileId: number): Promise<Uint8Array> {
  const row = await db.selectFrom('file_contents').select('content').where('file_id', '=', fileId).executeTakeFirst();
  return row?.content ?? new Uint8Array();
}

/** `length` bytes of a file's content from byte `offset` (0-based); empty past the end. */
export async function readFileContentSlice(db: Kysely<DB>, fileId: number, offset: number, length: number): Promise<Uint8Array> {
  const row = await db
    .selectFrom('file_contents')
    // substr counts from 1 and works on bytea and blob alike.
    .select(sql<Uint8Array>`substr(content, ${offset + 1}, ${length})`.as('slice'))
    .where('file_id', '=', fileId)
    .executeTakeFirst();
  return row?.slice ?? new Uint8Array();
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
