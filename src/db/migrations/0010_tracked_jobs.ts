import type { Kysely } from 'kysely';
import { isPostgres, withId, withReference, withTimestamp, type Table } from './columns.js';

/**
 * The person's own jobs (issue 24 item 3): jobs they found themselves or added from a catalogue
 * match, tracked on a board by status, with a dated history of status changes. `version` counts
 * edits, so an edit made from a stale page answers 409 instead of overwriting a newer one.
 * `deadline` is a calendar date (`YYYY-MM-DD`, text on both backends): a deadline has no time
 * zone, the person's own day is what counts. `role_id` names the catalogue role a job was added
 * from (no foreign key: a match row may be refreshed away while the job stays).
 *
 * job_matches gains `matched_words`: the person's own words behind a match, most used first, so
 * the score can be explained in their words. Null on rows ranked before this migration.
 */
export async function up(db: Kysely<any>): Promise<void> {
  let jobs: Table = db.schema.createTable('tracked_jobs');
  jobs = withId(db, jobs);
  jobs = withReference(db, jobs, 'user_id', 'users.id');
  jobs = jobs
    .addColumn('title', 'text', (col) => col.notNull())
    .addColumn('company', 'text')
    .addColumn('url', 'text')
    .addColumn('location', 'text')
    .addColumn('salary', 'text')
    .addColumn('deadline', 'text')
    .addColumn('contact', 'text')
    .addColumn('notes', 'text')
    .addColumn('status', 'text', (col) => col.notNull())
    .addColumn('role_id', 'text')
    .addColumn('version', 'integer', (col) => col.notNull());
  jobs = withTimestamp(db, jobs, 'status_changed_at');
  jobs = withTimestamp(db, jobs, 'created_at');
  jobs = withTimestamp(db, jobs, 'updated_at');
  await jobs.execute();
  await db.schema.createIndex('tracked_jobs_user_idx').on('tracked_jobs').columns(['user_id', 'id']).execute();

  let events: Table = db.schema.createTable('tracked_job_events');
  events = withId(db, events);
  events = withReference(db, events, 'tracked_job_id', 'tracked_jobs.id');
  events = events.addColumn('from_status', 'text').addColumn('to_status', 'text', (col) => col.notNull());
  events = withTimestamp(db, events, 'created_at');
  await events.execute();
  await db.schema.createIndex('tracked_job_events_job_idx').on('tracked_job_events').columns(['tracked_job_id', 'id']).execute();

  // json, not jsonb, as withJson makes it: copies round-trip the exact text.
  await db.schema.alterTable('job_matches').addColumn('matched_words', isPostgres(db) ? 'json' : 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('job_matches').dropColumn('matched_words').execute();
  await db.schema.dropTable('tracked_job_events').execute();
  await db.schema.dropTable('tracked_jobs').execute();
}
