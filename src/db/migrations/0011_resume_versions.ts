import { sql, type Kysely } from 'kysely';
import { withId, withReference, withTimestamp, type Table } from './columns.js';

/**
 * Résumés become editable: each saved text is a numbered version (kept in `resume_versions`,
 * the newest few per résumé), and `resumes.revision` is the number of the current one, which a
 * save must name (a stale save is refused, as the workbook's is). Existing résumés get their
 * text as version 1.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('resumes').addColumn('revision', 'integer', (col) => col.notNull().defaultTo(1)).execute();

  let versions: Table = db.schema.createTable('resume_versions');
  versions = withId(db, versions);
  versions = withReference(db, versions, 'resume_id', 'resumes.id');
  versions = versions.addColumn('revision', 'integer', (col) => col.notNull()).addColumn('content', 'text', (col) => col.notNull());
  versions = withTimestamp(db, versions, 'created_at');
  versions = versions.addUniqueConstraint('resume_versions_resume_revision_key', ['resume_id', 'revision']);
  await versions.execute();

  await sql`insert into resume_versions (resume_id, revision, content, created_at)
            select id, 1, content, updated_at from resumes order by id`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('resume_versions').execute();
  await db.schema.alterTable('resumes').dropColumn('revision').execute();
}
