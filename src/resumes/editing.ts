import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { nowIso } from '../db/values.js';
import { onMissingReference } from '../db/errors.js';
import { AppError, invalidInput, notFound } from '../errors.js';
import { compareTexts } from './compare.js';
import type { Comparison, PublicResume, ResumeVersion, ResumeVersionSummary } from './responses.js';
import { getResume, insertNewResume } from './service.js';
import * as store from './store.js';
import { lockUserFirst } from '../db/user-lock.js';

/**
 * Versions kept per résumé: each save adds one and the oldest beyond this go. With the
 * 100,000-character cap on each text, a résumé holds at most about 5 MB of history.
 */
export const VERSIONS_KEPT_PER_RESUME = 50;
/** The longest résumé text, in characters (a long two-page résumé is about 10,000). */
export const MAX_RESUME_CHARS = 100_000;

export interface ResumeEdit {
  /** The revision the client last saw; the save happens only if it is still the current one. */
  revision: number;
  content: string;
}

/**
 * 409 carrying both versions: the server's current résumé and the text that was sent, so the
 * page can show them side by side and let the person choose (as the workbook's conflict does).
 */
function revisionConflict(current: PublicResume, sent: ResumeEdit): AppError {
  return new AppError(409, 'revision_conflict', 'This résumé was changed elsewhere (another tab?) since you opened it; nothing was saved.', {
    current,
    sent,
  });
}

/**
 * Saves a new text as the next version if `edit.revision` is still current; otherwise 409
 * `revision_conflict` with both versions, having changed nothing. Saving the same text again
 * changes nothing and answers the résumé as it is.
 */
export async function saveResumeText(db: Kysely<DB>, userId: number, resumeId: number, edit: ResumeEdit): Promise<PublicResume> {
  if (!edit.content.trim()) throw invalidInput('content must not be blank');
  const row = await store.findResume(db, userId, resumeId);
  if (!row) throw notFound('résumé');
  if (row.revision !== edit.revision) throw revisionConflict(await getResume(db, userId, resumeId), edit);
  if (row.content === edit.content) return getResume(db, userId, resumeId);
  const now = nowIso();
  const saved = await db.transaction().execute(async (trx) => {
    await lockUserFirst(trx, userId);
    // The conditional update is the check that counts: two saves of one revision cannot both pass it.
    if (!(await store.updateContentIfRevision(trx, row.id, edit.revision, edit.content, now))) return false;
    // The text being replaced stays in the history even if it was written without a version row.
    await store.keepVersion(trx, { resume_id: row.id, revision: row.revision, content: row.content, created_at: row.updated_at });
    await store.insertVersion(trx, { resume_id: row.id, revision: edit.revision + 1, content: edit.content, created_at: now });
    await store.deleteOldestVersions(trx, row.id, VERSIONS_KEPT_PER_RESUME);
    return true;
  });
  const current = await getResume(db, userId, resumeId);
  if (!saved) throw revisionConflict(current, edit);
  return current;
}

export async function renameResume(db: Kysely<DB>, userId: number, resumeId: number, rawName: string): Promise<PublicResume> {
  const name = rawName.trim();
  if (!name) throw invalidInput('name must not be blank');
  if (!(await store.renameResume(db, userId, resumeId, name, nowIso()))) throw notFound('résumé');
  return getResume(db, userId, resumeId);
}

/** A new résumé with the current text of another (its first version), its job match, and "(copy)" after its name unless one is given. */
export async function duplicateResume(db: Kysely<DB>, userId: number, resumeId: number, rawName?: string): Promise<PublicResume> {
  const source = await store.findResume(db, userId, resumeId);
  if (!source) throw notFound('résumé');
  const name = (rawName?.trim() || `${source.name} (copy)`).slice(0, 200);
  const inserted = insertNewResume(db, userId, { name, content: source.content, fileId: source.file_id, jobMatchId: source.job_match_id });
  const row = await onMissingReference(inserted, () => notFound('résumé'));
  return getResume(db, userId, row.id);
}

// Résumés written by other paths (a legacy claim) may lack a version row for their current text.
const currentAsVersion = (resume: store.ResumeRow): ResumeVersionSummary => ({
  revision: resume.revision,
  createdAt: resume.updated_at,
  characters: resume.content.length,
});

async function ownResume(db: Kysely<DB>, userId: number, resumeId: number): Promise<store.ResumeRow> {
  const row = await store.findResume(db, userId, resumeId);
  if (!row) throw notFound('résumé');
  return row;
}

export async function listVersions(db: Kysely<DB>, userId: number, resumeId: number): Promise<ResumeVersionSummary[]> {
  const resume = await ownResume(db, userId, resumeId);
  const versions = (await store.listVersions(db, resume.id)).map((v) => ({ revision: v.revision, createdAt: v.created_at, characters: Number(v.characters) }));
  if (versions[0]?.revision !== resume.revision) versions.unshift(currentAsVersion(resume));
  return versions;
}

/** One kept version of the person's résumé (404 for another person's résumé or a version no longer kept). */
export async function getVersion(db: Kysely<DB>, userId: number, resumeId: number, revision: number): Promise<ResumeVersion & { name: string }> {
  const resume = await ownResume(db, userId, resumeId);
  const version = (await store.findVersion(db, resume.id, revision)) ?? (revision === resume.revision ? { ...currentAsVersion(resume), content: resume.content } : null);
  if (!version) throw notFound('version');
  const createdAt = 'created_at' in version ? version.created_at : version.createdAt;
  return { revision: version.revision, createdAt, characters: version.content.length, content: version.content, name: resume.name };
}

/** The changes from version `from` to version `to` of one résumé. */
export async function compareVersions(db: Kysely<DB>, userId: number, resumeId: number, from: number, to: number): Promise<Comparison> {
  const older = await getVersion(db, userId, resumeId, from);
  const newer = await getVersion(db, userId, resumeId, to);
  const { wordLevel, parts } = compareTexts(older.content, newer.content);
  const summary = ({ revision, createdAt, characters }: ResumeVersion) => ({ revision, createdAt, characters });
  return { from: summary(older), to: summary(newer), wordLevel, parts };
}

/** The export's rendering of kept versions (src/account/export.ts). */
export const exportedVersion = (row: store.ResumeVersionRow) => ({
  resumeId: row.resume_id,
  revision: row.revision,
  createdAt: row.created_at,
  characters: row.content.length,
  content: row.content,
});
