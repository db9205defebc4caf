import { sql, type Kysely, type Selectable } from 'kysely';
import type { BinaryCopyRow } from '../db/postgres/binary-copy.js';
import { isPostgres } from '../db/migrations/columns.js';
import { compiledOnce } from '../db/prepared.js';
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

/** Bytes of every file the user keeps (the storage quota counts these). */
export async function storedBytes(db: Kysely<DB>, userId: number): Promise<number> {
  const row = await db
    .selectFrom('files')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number | string>('size'), eb.lit(0)).as('bytes'))
    .where('user_id', '=', userId)
    .executeTakeFirstOrThrow();
  return Number(row.bytes);
}

/**
 * The user's stored bytes, read so that no other upload of the same user can pass the quota
 * before this transaction ends. PostgreSQL: the user's row is locked (`for update`), which
 * queues the user's other uploads behind this one. SQLite: the one connection runs one
 * transaction at a time, so the read and the insert that follows are already atomic.
 */
export async function lockStoredBytes(db: Kysely<DB>, userId: number): Promise<number> {
  if (isPostgres(db)) await db.selectFrom('users').select('id').where('id', '=', userId).forUpdate().execute();
  return storedBytes(db, userId);
}

/**
 * Newest first, without text or bytes; `has_text` is a boolean (0/1 on SQLite, see readBool).
 * The file list runs it on every read: compiled once (see db/prepared.ts).
 */
export const listFiles = compiledOnce((db: Kysely<DB>, userId: number) =>
  db
    .selectFrom('files')
    .select(METADATA)
    .select((eb) => eb('text_content', 'is not', null).as('has_text'))
    .where('user_id', '=', userId)
    .orderBy('id', 'desc'),
);

export function findFile(db: Kysely<DB>, userId: number, fileId: number): Promise<FileRow | undefined> {
  return db.selectFrom('files').selectAll().where('user_id', '=', userId).where('id', '=', fileId).executeTakeFirst();
}

/** The owner's file joined to its bytes: the SQLite download's query (exported for its plan's test). */
export const selectFileWithContent = (db: Kysely<DB>, userId: number, fileId: number) =>
  db
    .selectFrom('files')
    .innerJoin('file_contents', 'file_contents.file_id', 'files.id')
    .select(['files.name', 'files.content_type', 'files.size', 'files.sha256', 'file_contents.content'])
    .where('files.user_id', '=', userId)
    .where('files.id', '=', fileId);

// Downloads run these on every request; compiled once (see db/prepared.ts): Kysely building
// and compiling the join was ~7 % of a 1 MB download's server CPU on SQLite.
const downloadWithContent = compiledOnce(selectFileWithContent);
const downloadMetadata = compiledOnce((db: Kysely<DB>, userId: number, fileId: number) =>
  db.selectFrom('files').select(['name', 'content_type', 'size', 'sha256']).where('user_id', '=', userId).where('id', '=', fileId),
);

/** The bytes and what the download needs, only for the owner's file. */
export async function findFileWithContent(db: Kysely<DB>, userId: number, fileId: number) {
  if (isPostgres(db)) {
    // The owner's metadata first, then the bytes by binary COPY (see db/prepared.ts): a normal
    // result would carry bytea as hex text, twice the size, decoded in JavaScript.
    const [file] = await downloadMetadata(db, userId, fileId);
    if (!file || !Number.isSafeInteger(fileId)) return undefined;
    const { rows } = await sql<BinaryCopyRow>`copy (select content from file_contents where file_id = ${sql.lit(fileId)}) to stdout (format binary)`.execute(db);
    const content = rows[0]?.fields[0];
    return content ? { ...file, content } : undefined;
  }
  return (await downloadWithContent(db, userId, fileId))[0];
}

/**
 * The start of the extracted text of the user's newest files, for matching: at most `files`
 * files and `chars` characters of each, cut in SQL so a user with hundreds of long documents
 * never has them all read into memory.
 */
export function listFileTextHeads(db: Kysely<DB>, userId: number, limits: { files: number; chars: number }): Promise<string[]> {
  return db
    .selectFrom('files')
    .select(sql<string>`substr(text_content, 1, ${limits.chars})`.as('head'))
    .where('user_id', '=', userId)
    .where('text_content', 'is not', null)
    .orderBy('id', 'desc')
    .limit(limits.files)
    .execute()
    .then((rows) => rows.map((row) => row.head));
}

export async function deleteFile(db: Kysely<DB>, userId: number, fileId: number): Promise<boolean> {
  // file_contents goes with it (ON DELETE CASCADE); résumés made from it keep their text.
  const result = await db.deleteFrom('files').where('user_id', '=', userId).where('id', '=', fileId).executeTakeFirst();
  return result.numDeletedRows > 0n;
}
