import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { onMissingReference } from '../db/errors.js';
import { nowIso } from '../db/values.js';
import { AppError, invalidInput, notFound, unauthenticated } from '../errors.js';
import type { JobStatusChange, TrackedJob, TrackedJobWithHistory } from './responses.js';
import { boardStatusOf, type JobStatus, type MatchStatus } from './statuses.js';
import * as store from './tracked-store.js';
import { lockUserFirst } from '../db/user-lock.js';

/**
 * Jobs one person may keep on the board. A spreadsheet of applications rarely passes a few
 * hundred rows; the cap bounds what the board loads in one request (each job is at most ~25 KB).
 */
export const JOBS_MAX_PER_USER = 1_000;
/**
 * Status changes one person's board history may hold. Nothing else bounds how often a card can
 * be moved; the history is the person's record and is never trimmed behind their back.
 */
export const JOB_HISTORY_MAX_PER_USER = 20_000;

/** Longest text per field, in characters. Shared with the routes' schemas and the web form. */
export const JOB_FIELD_MAX = {
  title: 200,
  company: 200,
  url: 2_000,
  location: 200,
  salary: 100,
  contact: 500,
  notes: 10_000,
} as const;

/** The fields a person writes (a new job, an edit), as the API shows them. */
export type JobFields = Pick<TrackedJob, 'title' | 'company' | 'url' | 'location' | 'salary' | 'deadline' | 'contact' | 'notes'>;

export function toTrackedJob(row: store.TrackedJobRow): TrackedJob {
  return {
    id: row.id,
    title: row.title,
    company: row.company,
    url: row.url,
    location: row.location,
    salary: row.salary,
    deadline: row.deadline,
    contact: row.contact,
    notes: row.notes,
    status: row.status as JobStatus,
    statusChangedAt: row.status_changed_at,
    roleId: row.role_id,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function toJobStatusChange(row: store.TrackedJobEventRow): JobStatusChange {
  return { fromStatus: row.from_status as JobStatus | null, toStatus: row.to_status as JobStatus, createdAt: row.created_at };
}

const tooManyJobs = () =>
  new AppError(413, 'too_many_jobs', `You keep ${JOBS_MAX_PER_USER.toLocaleString('en')} jobs, the most allowed; delete some to add another.`, {
    limit: JOBS_MAX_PER_USER,
  });

const historyFull = () =>
  new AppError(413, 'history_full', `Your board's history holds ${JOB_HISTORY_MAX_PER_USER.toLocaleString('en')} status changes, its limit.`, {
    maxChanges: JOB_HISTORY_MAX_PER_USER,
  });

const staleEdit = (current: TrackedJob) =>
  new AppError(409, 'stale_job', 'This job was changed elsewhere (another tab or device) since you opened it. Here is the newer version.', {
    current,
  });

/** Blank text is no value; text is kept as written otherwise (trimmed at the ends). */
const optional = (value: string | null | undefined): string | null | undefined =>
  value === undefined ? undefined : value === null ? null : value.trim() || null;

/**
 * A link the page may render as `<a href>`: http or https only, so `javascript:` or `data:`
 * never becomes something a click runs.
 */
function checkUrl(url: string | null | undefined): void {
  if (url === null || url === undefined) return;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new AppError(400, 'invalid_url', 'The link must be a full web address starting with http:// or https://.');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new AppError(400, 'invalid_url', 'The link must be a full web address starting with http:// or https://.');
  }
}

/** A real calendar date: the schema checks the YYYY-MM-DD shape, this rejects 2026-02-30. */
function checkDeadline(deadline: string | null | undefined): void {
  if (deadline === null || deadline === undefined) return;
  const [y, m, d] = deadline.split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) {
    throw new AppError(400, 'invalid_deadline', `${deadline} is not a date in the calendar.`);
  }
}

function cleanFields<T extends Partial<JobFields>>(input: T): Partial<JobFields> {
  const fields: Partial<JobFields> = {};
  if (input.title !== undefined) {
    const title = input.title.trim();
    if (!title) throw invalidInput('title must not be blank');
    fields.title = title;
  }
  for (const key of ['company', 'url', 'location', 'salary', 'deadline', 'contact', 'notes'] as const) {
    const value = optional(input[key]);
    if (value !== undefined) fields[key] = value;
  }
  checkUrl(fields.url);
  checkDeadline(fields.deadline);
  return fields;
}

export async function listJobs(db: Kysely<DB>, userId: number): Promise<TrackedJob[]> {
  return (await store.listJobs(db, userId)).map(toTrackedJob);
}

export async function getJob(db: Kysely<DB>, userId: number, jobId: number): Promise<TrackedJobWithHistory> {
  const row = await store.findJob(db, userId, jobId);
  if (!row) throw notFound('job');
  return { ...toTrackedJob(row), history: (await store.listEvents(db, [row.id])).map(toJobStatusChange) };
}

/** A new job with its first history entry (its starting status), in one transaction. */
export async function createJob(
  db: Kysely<DB>,
  userId: number,
  input: Partial<JobFields> & { title: string; status?: JobStatus | undefined; roleId?: string | null },
): Promise<TrackedJobWithHistory> {
  return (await insertJob(db, userId, input)).job;
}

/**
 * Inserts the job unless it comes from a catalogue role the person already has a job for
 * (then that job, `created` false). The check runs after the user's lock, so two clicks on
 * "Add to my jobs" at once still make one job.
 */
async function insertJob(
  db: Kysely<DB>,
  userId: number,
  input: Partial<JobFields> & { title: string; status?: JobStatus | undefined; roleId?: string | null },
): Promise<{ job: TrackedJobWithHistory; created: boolean }> {
  const fields = cleanFields(input);
  const status = input.status ?? 'saved';
  const now = nowIso();
  const created = db.transaction().execute(async (trx) => {
    const count = await store.lockJobCount(trx, userId);
    if (input.roleId) {
      const existing = await store.findJobFromRole(trx, userId, input.roleId);
      if (existing) return { row: existing, created: false };
    }
    if (count >= JOBS_MAX_PER_USER) throw tooManyJobs();
    if ((await store.countEvents(trx, userId)) >= JOB_HISTORY_MAX_PER_USER) throw historyFull();
    const row = await store.insertJob(trx, {
      user_id: userId,
      title: fields.title!,
      company: fields.company ?? null,
      url: fields.url ?? null,
      location: fields.location ?? null,
      salary: fields.salary ?? null,
      deadline: fields.deadline ?? null,
      contact: fields.contact ?? null,
      notes: fields.notes ?? null,
      status,
      role_id: input.roleId ?? null,
      version: 1,
      status_changed_at: now,
      created_at: now,
      updated_at: now,
    });
    await store.insertEvent(trx, { tracked_job_id: row.id, from_status: null, to_status: status, created_at: now });
    return { row, created: true };
  });
  const result = await onMissingReference(created, unauthenticated);
  return { job: await getJob(db, userId, result.row.id), created: result.created };
}

/**
 * Changes the fields given. `version` is the one the person's page showed: when the job has
 * changed since (another tab, another device), nothing is written and the answer is 409 with
 * the current job, so a stale page never silently overwrites a newer edit.
 */
export async function editJob(
  db: Kysely<DB>,
  userId: number,
  jobId: number,
  input: Partial<JobFields> & { version: number },
): Promise<TrackedJobWithHistory> {
  const fields = cleanFields(input);
  await db.transaction().execute(async (trx) => {
    await lockUserFirst(trx, userId);
    const row = await store.findJobForUpdate(trx, userId, jobId);
    if (!row) throw notFound('job');
    if (row.version !== input.version) throw staleEdit(toTrackedJob(row));
    await store.updateJob(trx, row.id, { ...fields, version: row.version + 1, updated_at: nowIso() });
  });
  return getJob(db, userId, jobId);
}

/**
 * Moves the job to another column, recording the move in its history in the same transaction.
 * No version is needed, and a move does not change it: the version guards the fields an edit
 * writes, which a move never touches, so an edit form opened before a move (in this tab or
 * another) still saves. Every move is kept in the history; moving to the status the job
 * already has changes nothing.
 */
export async function moveJob(db: Kysely<DB>, userId: number, jobId: number, status: JobStatus): Promise<TrackedJobWithHistory> {
  await db.transaction().execute(async (trx) => {
    await lockUserFirst(trx, userId);
    const row = await store.findJobForUpdate(trx, userId, jobId);
    if (!row) throw notFound('job');
    if (row.status === status) return;
    if ((await store.countEvents(trx, userId)) >= JOB_HISTORY_MAX_PER_USER) throw historyFull();
    const now = nowIso();
    await store.updateJob(trx, row.id, { status, status_changed_at: now, updated_at: now });
    await store.insertEvent(trx, { tracked_job_id: row.id, from_status: row.status, to_status: status, created_at: now });
  });
  return getJob(db, userId, jobId);
}

export async function deleteJob(db: Kysely<DB>, userId: number, jobId: number): Promise<void> {
  if (!(await store.deleteJob(db, userId, jobId))) throw notFound('job');
}

/**
 * "Add to my jobs" from a catalogue match: a new job titled as the role, starting in the column
 * the match's own tracking status maps to (rejected and archived are closed), with the match's
 * notes. Adding the same role again returns the job already there (`created` false).
 */
export async function jobFromMatch(
  db: Kysely<DB>,
  userId: number,
  match: { roleId: string; title: string; status: MatchStatus | null; notes: string | null },
): Promise<{ job: TrackedJobWithHistory; created: boolean }> {
  const notes = match.notes?.slice(0, JOB_FIELD_MAX.notes) ?? null;
  return insertJob(db, userId, { title: match.title.slice(0, JOB_FIELD_MAX.title), notes, status: boardStatusOf(match.status), roleId: match.roleId });
}
