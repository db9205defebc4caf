import type { Kysely, Selectable } from 'kysely';
import { isPostgres } from '../db/migrations/columns.js';
import { compiledOnce } from '../db/prepared.js';
import type { DB, ResumeFeedbackTable, ResumesTable } from '../db/schema.js';

export type ResumeRow = Selectable<ResumesTable>;
export type ResumeFeedbackRow = Selectable<ResumeFeedbackTable>;

export function insertResume(db: Kysely<DB>, resume: Omit<ResumeRow, 'id'>): Promise<ResumeRow> {
  return db.insertInto('resumes').values(resume).returningAll().executeTakeFirstOrThrow();
}

/** The user's versions, newest first, without their text. The list runs it on every read: compiled once (see db/prepared.ts). */
export const listResumes = compiledOnce((db: Kysely<DB>, userId: number) =>
  db
    .selectFrom('resumes')
    .select(['id', 'name', 'file_id', 'job_match_id', 'created_at', 'updated_at'])
    .where('user_id', '=', userId)
    .orderBy('id', 'desc'),
);

export function findResume(db: Kysely<DB>, userId: number, resumeId: number): Promise<ResumeRow | undefined> {
  return db.selectFrom('resumes').selectAll().where('user_id', '=', userId).where('id', '=', resumeId).executeTakeFirst();
}

export async function deleteResume(db: Kysely<DB>, userId: number, resumeId: number): Promise<boolean> {
  const result = await db.deleteFrom('resumes').where('user_id', '=', userId).where('id', '=', resumeId).executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/**
 * How many résumés the user keeps, read so that no parallel creation of the same user can pass
 * the cap before this transaction ends: on PostgreSQL the user's row is locked; SQLite runs one
 * write transaction at a time already.
 */
export async function lockResumeCount(db: Kysely<DB>, userId: number): Promise<number> {
  if (isPostgres(db)) await db.selectFrom('users').select('id').where('id', '=', userId).forUpdate().execute();
  const row = await db
    .selectFrom('resumes')
    .select((eb) => eb.fn.countAll().as('count'))
    .where('user_id', '=', userId)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

/** Deletes a résumé's feedback beyond the newest `keep`. */
export async function deleteOldestFeedback(db: Kysely<DB>, resumeId: number, keep: number): Promise<void> {
  const newest = db.selectFrom('resume_feedback').select('id').where('resume_id', '=', resumeId).orderBy('id', 'desc').limit(1).offset(keep - 1);
  await db.deleteFrom('resume_feedback').where('resume_id', '=', resumeId).where('id', '<', newest).execute();
}

export function insertFeedback(db: Kysely<DB>, feedback: Omit<ResumeFeedbackRow, 'id'>): Promise<ResumeFeedbackRow> {
  return db.insertInto('resume_feedback').values(feedback).returningAll().executeTakeFirstOrThrow();
}

/** Feedback of the given résumés, newest first. */
export function listFeedback(db: Kysely<DB>, resumeIds: number[]): Promise<ResumeFeedbackRow[]> {
  if (resumeIds.length === 0) return Promise.resolve([]);
  return db.selectFrom('resume_feedback').selectAll().where('resume_id', 'in', resumeIds).orderBy('id', 'desc').execute();
}
