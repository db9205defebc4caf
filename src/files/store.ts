import { PostgresAdapter, sql, type Kysely, type Selectable } from 'kysely';
import type { BinaryCopyRow } from '../db/prepared.js';
import type { DB, FilesTable } from '../db/schema.js';

export type FileRow = Selectable<FilesTable>;
export type FileMetadata = Omit<FileRow, 'text_content'>;

const METADATA = ['id', 'user_id', 'name', 'content_type', 'size', 'sha256', 'created_at'] as const;

export async function insertFile(
  db: Kysely<DB>,
  file: Omit<FileRow, 'id'>,
  content: Buffer,
): Promise<FileMetadata> {
  const row = await db.insertInto('files').values(file).returning(METADATA).executeTakeFirstOrThrow();
  await db.insertInto('file_contents').values({ file_id: row.id, content }).execute();
  return row;
}

/** Newest first, without text or bytes; `has_text` is a boolean (0/1 on SQLite, see readBool). */
export function listFiles(db: Kysely<DB>, userId: number) {
  return db
    .selectFrom('files')
    .select(METADATA)
    .select((eb) => eb('text_content', 'is not', null).as('has_text'))
    .where('user_id', '=', userId)
    .orderBy('id', 'desc')
    .execute();
}

export function findFile(db: Kysely<DB>, userId: number, fileId: number): Promise<FileRow | undefined> {
  return db.selectFrom('files').selectAll().where('user_id', '=', userId).where('id', '=', fileId).executeTakeFirst();
}

/** The bytes and what the download needs, only for the owner's file. */
export async function findFileWithContent(db: Kysely<DB>, userId: number, fileId: number) {
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    // The owner's metadata first, then the bytes by binary COPY (see db/prepared.ts): a normal
    // result would carry bytea as hex text, twice the size, decoded in JavaScript.
    const file = await db
      .selectFrom('files')
      .select(['name', 'content_type', 'size', 'sha256'])
      .where('user_id', '=', userId)
      .where('id', '=', fileId)
      .executeTakeFirst();
    if (!file || !Number.isSafeInteger(fileId)) return undefined;
    const { rows } = await sql<BinaryCopyRow>`copy (select content from file_contents where file_id = ${sql.lit(fileId)}) to stdout (format binary)`.execute(db);
    const content = rows[0]?.fields[0];
    return content ? { ...file, content } : undefined;
  }
  return db
    .selectFrom('files')
    .innerJoin('file_contents', 'file_contents.file_id', 'files.id')
    .select(['files.name', 'files.content_type', 'files.size', 'files.sha256', 'file_contents.content'])
    .where('files.user_id', '=', userId)
    .where('files.id', '=', fileId)
    .executeTakeFirst();
}

/** Every file of the user with its text, for matching (text only) and export. */
export function listFileTexts(db: Kysely<DB>, userId: number): Promise<string[]> {
  return db
    .selectFrom('files')
    .select('text_content')
    .where('user_id', '=', userId)
    .where('text_content', 'is not', null)
    .orderBy('id')
    .execute()
    .then((rows) => rows.map((row) => row.text_content!));
}

export async function deleteFile(db: Kysely<DB>, userId: number, fileId: number): Promise<boolean> {
  // file_contents goes with it (ON DELETE CASCADE); résumés made from it keep their text.
  const result = await db.deleteFrom('files').where('user_id', '=', userId).where('id', '=', fileId).executeTakeFirst();
  return result.numDeletedRows > 0n;
}
