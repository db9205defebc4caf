import type { Kysely, Selectable } from 'kysely';
import { isPostgres } from '../db/migrations/columns.js';
import { compiledOnce } from '../db/prepared.js';
import type { DB, ResumeFeedbackTable, ResumesTable, ResumeVersionsTable } from '../db/schema.js';

export type ResumeRow = Selectable<ResumesTable>;
export type ResumeFeedbackRow = Selectable<ResumeFeedbackTable>;

export function insertResume(db: Kysely<DB>, resume: Omit<ResumeRow, 'id'>): Promise<ResumeRow> {
  return db.insertInto('resumes').values(resume).returningAll().executeTakeFirstOrThrow();
}

/** The user's versions, newest first, without their text. The list runs it on every read: compiled once (see db/prepared.ts). */
export const listResumes = compiledOnce((db: Kysely<DB>, userId: number) =>
  db
    .selectFrom('resumes')
    .select(['id', 'name', 'file_id', 'job_match_id', 'revision', 'created_at', 'updated_at'])
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

export type ResumeVersionRow = Selectable<ResumeVersionsTable>;

/** Sets the résumé's text and revision if its revision is still `expected`; false when it moved on (or is gone). */
export async function updateContentIfRevision(
  db: Kysely<DB>,
  resumeId: number,
  expected: number,
  content: string,
  updatedAt: string,
): Promise<boolean> {
  const result = await db
    .updateTable('resumes')
    .set({ content, revision: expected + 1, updated_at: updatedAt })
    .where('id', '=', resumeId)
    .where('revision', '=', expected)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function renameResume(db: Kysely<DB>, userId: number, resumeId: number, name: string, updatedAt: string): Promise<boolean> {
  const result = await db
    .updateTable('resumes')
    .set({ name, updated_at: updatedAt })
    .where('user_id', '=', userId)
    .where('id', '=', resumeId)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function insertVersion(db: Kysely<DB>, version: Omit<ResumeVersionRow, 'id'>): Promise<void> {
  await db.insertInto('resume_versions').values(version).execute();
}

/** Keeps `version` unless that revision is already kept (résumés a legacy claim wrote have no version row). */
export async function keepVersion(db: Kysely<DB>, version: Omit<ResumeVersionRow, 'id'>): Promise<void> {
  await db
    .insertInto('resume_versions')
    .values(version)
    .onConflict((oc) => oc.columns(['resume_id', 'revision']).doNothing())
    .execute();
}

/** Deletes a résumé's versions beyond the newest `keep`. */
export async function deleteOldestVersions(db: Kysely<DB>, resumeId: number, keep: number): Promise<void> {
  const oldestKept = db
    .selectFrom('resume_versions')
    .select('revision')
    .where('resume_id', '=', resumeId)
    .orderBy('revision', 'desc')
    .limit(1)
    .offset(keep - 1);
  await db.deleteFrom('resume_versions').where('resume_id', '=', resumeId).where('revision', '<', oldestKept).execute();
}

/** The versions kept of a résumé, newest first, with their lengths but not their text. */
export function listVersions(db: Kysely<DB>, resumeId: number) {
  return db
    .selectFrom('resume_versions')
    .select(['revision', 'created_at', (eb) => eb.fn<number>('length', ['content']).as('characters')])
    .where('resume_id', '=', resumeId)
    .orderBy('revision', 'desc')
    .execute();
}

export function findVersion(db: Kysely<DB>, resumeId: number, revision: number): Promise<ResumeVersionRow | undefined> {
  return db.selectFrom('resume_versions').selectAll().where('resume_id', '=', resumeId).where('revision', '=', revision).executeTakeFirst();
}

/** A keyset page of all the user's kept versions (for the account export), in id order. */
export function listVersionsPage(db: Kysely<DB>, userId: number, page: { after: number; limit: number }) {
  return db
    .selectFrom('resume_versions as v')
    .innerJoin('resumes as r', 'r.id', 'v.resume_id')
    .selectAll('v')
    .where('r.user_id', '=', userId)
    .where('v.id', '>', page.after)
    .orderBy('v.id')
    .limit(page.limit)
    .execute();
}
