import type { Kysely } from 'kysely';
import { isPostgres, type Table, withBoolean, withBytes, withId, withJson, withReference, withTimestamp } from './columns.js';

export async function up(db: Kysely<any>): Promise<void> {
  const idType = isPostgres(db) ? 'bigint' : 'integer';

  let files = db.schema.createTable('files');
  files = withId(db, files);
  files = withReference(db, files, 'user_id', 'users.id');
  files = files
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('content_type', 'text', (col) => col.notNull())
    .addColumn('size', 'integer', (col) => col.notNull())
    .addColumn('sha256', 'text', (col) => col.notNull())
    // Plain text extracted at upload (PDF, DOCX, text), for the coach, matching and feedback.
    .addColumn('text_content', 'text');
  files = withTimestamp(db, files, 'created_at');
  await files.execute();
  await db.schema.createIndex('files_user_id_idx').on('files').columns(['user_id', 'id']).execute();

  // The bytes apart from the metadata, so listing files never reads them.
  let contents = db.schema.createTable('file_contents');
  contents = contents.addColumn('file_id', idType, (col) =>
    col.primaryKey().references('files.id').onDelete('cascade'),
  );
  contents = withBytes(db, contents, 'content');
  await contents.execute();

  let matches: Table = db.schema.createTable('job_matches');
  matches = withId(db, matches);
  matches = withReference(db, matches, 'user_id', 'users.id');
  matches = matches
    .addColumn('role_id', 'text', (col) => col.notNull())
    .addColumn('title', 'text', (col) => col.notNull())
    .addColumn('field', 'text', (col) => col.notNull())
    .addColumn('score', isPostgres(db) ? 'double precision' : 'real', (col) => col.notNull())
    .addColumn('rank', 'integer');
  matches = withJson(db, matches, 'matched_skills');
  matches = withJson(db, matches, 'matched_values');
  // In the latest refresh's top results; a tracked role stays listed after it drops out.
  matches = withBoolean(db, matches, 'current');
  // null until the person tracks it: saved, applied, interviewing, offer, rejected, archived.
  matches = matches.addColumn('status', 'text').addColumn('notes', 'text');
  matches = withTimestamp(db, matches, 'created_at');
  matches = withTimestamp(db, matches, 'updated_at');
  matches = matches.addUniqueConstraint('job_matches_user_role_unique', ['user_id', 'role_id']);
  await matches.execute();

  let events = db.schema.createTable('job_match_events');
  events = withId(db, events);
  events = withReference(db, events, 'job_match_id', 'job_matches.id');
  events = events
    .addColumn('from_status', 'text')
    .addColumn('to_status', 'text', (col) => col.notNull())
    .addColumn('notes', 'text');
  events = withTimestamp(db, events, 'created_at');
  await events.execute();
  await db.schema.createIndex('job_match_events_match_idx').on('job_match_events').columns(['job_match_id', 'id']).execute();

  let resumes = db.schema.createTable('resumes');
  resumes = withId(db, resumes);
  resumes = withReference(db, resumes, 'user_id', 'users.id');
  resumes = resumes.addColumn('name', 'text', (col) => col.notNull()).addColumn('content', 'text', (col) => col.notNull());
  // The sources a version came from; deleting them keeps the version.
  resumes = resumes
    .addColumn('file_id', idType, (col) => col.references('files.id').onDelete('set null'))
    .addColumn('job_match_id', idType, (col) => col.references('job_matches.id').onDelete('set null'));
  resumes = withTimestamp(db, resumes, 'created_at');
  resumes = withTimestamp(db, resumes, 'updated_at');
  await resumes.execute();
  await db.schema.createIndex('resumes_user_id_idx').on('resumes').columns(['user_id', 'id']).execute();

  let feedback = db.schema.createTable('resume_feedback');
  feedback = withId(db, feedback);
  feedback = withReference(db, feedback, 'resume_id', 'resumes.id');
  feedback = withJson(db, feedback, 'feedback');
  feedback = withTimestamp(db, feedback, 'created_at');
  await feedback.execute();
  await db.schema.createIndex('resume_feedback_resume_idx').on('resume_feedback').columns(['resume_id', 'id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['resume_feedback', 'resumes', 'job_match_events', 'job_matches', 'file_contents', 'files']) {
    await db.schema.dropTable(table).execute();
  }
}
