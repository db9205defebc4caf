import type { Kysely, Selectable } from 'kysely';
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

export function insertFeedback(db: Kysely<DB>, feedback: Omit<ResumeFeedbackRow, 'id'>): Promise<ResumeFeedbackRow> {
  return db.insertInto('resume_feedback').values(feedback).returningAll().executeTakeFirstOrThrow();
}

/** Feedback of the given résumés, newest first. */
export function listFeedback(db: Kysely<DB>, resumeIds: number[]): Promise<ResumeFeedbackRow[]> {
  if (resumeIds.length === 0) return Promise.resolve([]);
  return db.selectFrom('resume_feedback').selectAll().where('resume_id', 'in', resumeIds).orderBy('id', 'desc').execute();
}
