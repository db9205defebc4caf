import type { Insertable, Kysely, Selectable, Updateable } from 'kysely';
import { isPostgres } from '../db/migrations/columns.js';
import type { DB, TrackedJobEventsTable, TrackedJobsTable } from '../db/schema.js';

// Queries of the person's own jobs (tracked-jobs.ts). Every one names the owner, so another
// user's id finds nothing.

export type TrackedJobRow = Selectable<TrackedJobsTable>;
export type TrackedJobEventRow = Selectable<TrackedJobEventsTable>;

/** Every job of the person, oldest first (the service caps how many there can be). */
export function listJobs(db: Kysely<DB>, userId: number): Promise<TrackedJobRow[]> {
  return db.selectFrom('tracked_jobs').selectAll().where('user_id', '=', userId).orderBy('id').execute();
}

export function findJob(db: Kysely<DB>, userId: number, jobId: number): Promise<TrackedJobRow | undefined> {
  return db.selectFrom('tracked_jobs').selectAll().where('user_id', '=', userId).where('id', '=', jobId).executeTakeFirst();
}

/** The job, locked until the transaction ends on PostgreSQL (SQLite's write transaction already excludes other writers). */
export function findJobForUpdate(db: Kysely<DB>, userId: number, jobId: number): Promise<TrackedJobRow | undefined> {
  let query = db.selectFrom('tracked_jobs').selectAll().where('user_id', '=', userId).where('id', '=', jobId);
  if (isPostgres(db)) query = query.forUpdate();
  return query.executeTakeFirst();
}

export function findJobFromRole(db: Kysely<DB>, userId: number, roleId: string): Promise<TrackedJobRow | undefined> {
  return db.selectFrom('tracked_jobs').selectAll().where('user_id', '=', userId).where('role_id', '=', roleId).orderBy('id').executeTakeFirst();
}

/**
 * How many jobs the person has, with their user row locked on PostgreSQL until the transaction
 * ends, so two creates at once cannot both pass the limit.
 */
export async function lockJobCount(db: Kysely<DB>, userId: number): Promise<number> {
  if (isPostgres(db)) await db.selectFrom('users').select('id').where('id', '=', userId).forUpdate().execute();
  const { n } = await db
    .selectFrom('tracked_jobs')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('user_id', '=', userId)
    .executeTakeFirstOrThrow();
  return Number(n);
}

export function insertJob(db: Kysely<DB>, row: Insertable<TrackedJobsTable>): Promise<TrackedJobRow> {
  return db.insertInto('tracked_jobs').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function updateJob(db: Kysely<DB>, jobId: number, change: Updateable<TrackedJobsTable>): Promise<void> {
  await db.updateTable('tracked_jobs').set(change).where('id', '=', jobId).execute();
}

export async function deleteJob(db: Kysely<DB>, userId: number, jobId: number): Promise<boolean> {
  const result = await db.deleteFrom('tracked_jobs').where('user_id', '=', userId).where('id', '=', jobId).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export async function insertEvent(db: Kysely<DB>, event: Insertable<TrackedJobEventsTable>): Promise<void> {
  await db.insertInto('tracked_job_events').values(event).execute();
}

/** Status changes across all the person's jobs. */
export async function countEvents(db: Kysely<DB>, userId: number): Promise<number> {
  const { n } = await db
    .selectFrom('tracked_job_events')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('tracked_job_id', 'in', db.selectFrom('tracked_jobs').select('id').where('user_id', '=', userId))
    .executeTakeFirstOrThrow();
  return Number(n);
}

export function listEvents(db: Kysely<DB>, jobIds: number[]): Promise<TrackedJobEventRow[]> {
  if (jobIds.length === 0) return Promise.resolve([]);
  return db.selectFrom('tracked_job_events').selectAll().where('tracked_job_id', 'in', jobIds).orderBy('id').execute();
}
