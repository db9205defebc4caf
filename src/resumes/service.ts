import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { nowIso, readJson } from '../db/values.js';
import { onMissingReference } from '../db/errors.js';
import { AppError, invalidInput, notFound } from '../errors.js';
import { getFileText } from '../files/service.js';
import { findRole } from '../jobs/catalogue.js';
import { missingSkills } from '../jobs/matching.js';
import { requireMatch } from '../jobs/service.js';
import { checksOf, MAX_REVIEW_CHARS, reviewResume, type ResumeFeedback } from './feedback.js';
import type { PublicResume, ResumeSummary, StoredFeedback } from './responses.js';
import * as store from './store.js';
import { lockUserFirst } from '../db/user-lock.js';

export interface NewResume {
  name: string;
  content?: string | undefined;
  fileId?: number | undefined;
  jobMatchId?: number | null | undefined;
}

function toSummary(row: Omit<store.ResumeRow, 'user_id' | 'content'>): ResumeSummary {
  return {
    id: row.id,
    name: row.name,
    fileId: row.file_id,
    jobMatchId: row.job_match_id,
    revision: row.revision,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function toStoredFeedback(row: store.ResumeFeedbackRow): StoredFeedback {
  const document = readJson<ResumeFeedback>(row.feedback);
  // Suggestions are re-derived from the checks: feedback stored before the checks existed could contradict them.
  const checks = checksOf(document);
  const suggestions = checks.flatMap((check) => (check.passed ? [] : [check.advice]));
  return { id: row.id, resumeId: row.resume_id, createdAt: row.created_at, ...document, suggestions, checks };
}

/**
 * Saves a résumé version from text, or from the text extracted from one of the person's
 * files. The file and the job match must be the person's own (404 otherwise).
 */
/**
 * Résumés one person keeps: each holds up to 100,000 characters and the rate limit only slows
 * creation, so without a cap the total has no bound. Deleting one makes room.
 */
export const MAX_RESUMES_PER_USER = 100;
/** Reviews kept per résumé; a new one beyond it deletes the oldest (each is a few KB). */
export const FEEDBACK_KEPT_PER_RESUME = 20;

export const tooManyResumes = () =>
  new AppError(413, 'too_many_resumes', `You keep ${MAX_RESUMES_PER_USER} résumés, the most allowed; delete one to add another.`, {
    limit: MAX_RESUMES_PER_USER,
  });

export async function createResume(db: Kysely<DB>, userId: number, input: NewResume): Promise<PublicResume> {
  const name = input.name.trim();
  if (!name) throw invalidInput('name must not be blank');
  if ((input.content === undefined) === (input.fileId === undefined)) {
    throw invalidInput('give either content or fileId');
  }
  let content = input.content ?? '';
  if (input.fileId !== undefined) {
    const text = await getFileText(db, userId, input.fileId);
    if (text === null) {
      throw new AppError(422, 'file_has_no_text', 'No text could be taken from this file; paste the résumé text instead.');
    }
    content = text;
  }
  if (!content.trim()) throw invalidInput('content must not be blank');
  if (input.jobMatchId != null) await requireMatch(db, userId, input.jobMatchId);
  // The file, the match or the account may be deleted between the checks above and the write.
  const inserted = insertNewResume(db, userId, { name, content, fileId: input.fileId ?? null, jobMatchId: input.jobMatchId ?? null });
  const row = await onMissingReference(inserted, () => notFound('file or job match'));
  return { ...toSummary(row), content: row.content, feedback: [] };
}

/**
 * A new résumé and its first version, in one transaction that counts the person's résumés under
 * a lock, so two at once never pass the cap together.
 */
export function insertNewResume(
  db: Kysely<DB>,
  userId: number,
  fields: { name: string; content: string; fileId: number | null; jobMatchId: number | null },
): Promise<store.ResumeRow> {
  const now = nowIso();
  return db.transaction().execute(async (trx) => {
    if ((await store.lockResumeCount(trx, userId)) >= MAX_RESUMES_PER_USER) throw tooManyResumes();
    const row = await store.insertResume(trx, {
      user_id: userId,
      name: fields.name,
      content: fields.content,
      file_id: fields.fileId,
      job_match_id: fields.jobMatchId,
      revision: 1,
      created_at: now,
      updated_at: now,
    });
    await store.insertVersion(trx, { resume_id: row.id, revision: 1, content: row.content, created_at: now });
    return row;
  });
}

export async function listResumes(db: Kysely<DB>, userId: number): Promise<ResumeSummary[]> {
  return (await store.listResumes(db, userId)).map(toSummary);
}

export async function getResume(db: Kysely<DB>, userId: number, resumeId: number): Promise<PublicResume> {
  const row = await store.findResume(db, userId, resumeId);
  if (!row) throw notFound('résumé');
  const feedback = (await store.listFeedback(db, [row.id])).map(toStoredFeedback);
  return { ...toSummary(row), content: row.content, feedback };
}

export async function deleteResume(db: Kysely<DB>, userId: number, resumeId: number): Promise<void> {
  if (!(await store.deleteResume(db, userId, resumeId))) throw notFound('résumé');
}

/** Reviews the version (against its linked job match's role, if any) and stores the result. */
export async function reviewAndStore(db: Kysely<DB>, userId: number, resumeId: number): Promise<StoredFeedback> {
  const resume = await store.findResume(db, userId, resumeId);
  if (!resume) throw notFound('résumé');
  let job: ResumeFeedback['jobMatch'] = null;
  if (resume.job_match_id !== null) {
    const match = await requireMatch(db, userId, resume.job_match_id);
    const role = findRole(match.role_id);
    job = { id: match.id, title: match.title, missingSkills: role ? missingSkills(role, resume.content.slice(0, MAX_REVIEW_CHARS)) : [] };
  }
  const feedback = reviewResume(resume.content, job);
  const stored = db.transaction().execute(async (trx) => {
    await lockUserFirst(trx, userId);
    const row = await store.insertFeedback(trx, { resume_id: resume.id, feedback: JSON.stringify(feedback), created_at: nowIso() });
    await store.deleteOldestFeedback(trx, resume.id, FEEDBACK_KEPT_PER_RESUME);
    return row;
  });
  const row = await onMissingReference(stored, () => notFound('résumé'));
  return toStoredFeedback(row);
}
