import { createHash } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { nowIso, readBool } from '../db/values.js';
import { onMissingReference } from '../db/errors.js';
import { AppError, notFound, unauthenticated } from '../errors.js';
import { detectDocumentType } from './detect.js';
import { extractTextOffThread } from './extract-pool.js';
import { displayName } from './names.js';
import * as store from './store.js';

export interface PublicFile {
  id: number;
  name: string;
  contentType: string;
  size: number;
  sha256: string;
  createdAt: string;
  /** Whether text was extracted (a résumé can be made from the file). */
  hasText: boolean;
}

export function toPublicFile(row: store.FileMetadata, hasText: boolean): PublicFile {
  return {
    id: row.id,
    name: row.name,
    contentType: row.content_type,
    size: row.size,
    sha256: row.sha256,
    createdAt: row.created_at,
    hasText,
  };
}

export const unsupportedType = () =>
  new AppError(415, 'unsupported_type', 'Only PDF, DOCX, ODT, RTF, plain text and Markdown files are accepted.');

/**
 * Stores an uploaded document: its type is judged by its bytes, its text extracted when the
 * format allows, then metadata, bytes and text are written in one transaction. A failed
 * extraction keeps the upload (text stays null): the file is still the person's file.
 */
export async function saveUpload(
  db: Kysely<DB>,
  log: FastifyBaseLogger,
  userId: number,
  upload: { name: string | undefined; bytes: Buffer },
): Promise<PublicFile> {
  if (upload.bytes.length === 0) throw new AppError(400, 'empty_file', 'The file is empty.');
  const name = displayName(upload.name);
  const type = await detectDocumentType(upload.bytes, name);
  if (!type) throw unsupportedType();
  let text: string | null = null;
  try {
    text = await extractTextOffThread(type.kind, upload.bytes);
  } catch (error) {
    log.warn({ err: error, kind: type.kind }, 'text extraction failed; the file is kept without text');
  }
  const stored = db.transaction().execute((trx) =>
    store.insertFile(
      trx,
      {
        user_id: userId,
        name,
        content_type: type.contentType,
        size: upload.bytes.length,
        sha256: createHash('sha256').update(upload.bytes).digest('hex'),
        text_content: text,
        created_at: nowIso(),
      },
      upload.bytes,
    ),
  );
  // The account may have been deleted during the upload: 401, not a foreign-key 500.
  const row = await onMissingReference(stored, unauthenticated);
  return toPublicFile(row, text !== null);
}

export async function listFiles(db: Kysely<DB>, userId: number): Promise<PublicFile[]> {
  return (await store.listFiles(db, userId)).map((row) => toPublicFile(row, readBool(row.has_text)));
}

/** The extracted text of every file the person uploaded, for job matching. */
export function listFileTexts(db: Kysely<DB>, userId: number): Promise<string[]> {
  return store.listFileTexts(db, userId);
}

export async function getFileContent(db: Kysely<DB>, userId: number, fileId: number) {
  const file = await store.findFileWithContent(db, userId, fileId);
  if (!file) throw notFound('file');
  return { name: file.name, contentType: file.content_type, sha256: file.sha256, content: Buffer.isBuffer(file.content) ? file.content : Buffer.from(file.content) };
}

/** A file's extracted text, for other capabilities (résumés); null when it has none. */
export async function getFileText(db: Kysely<DB>, userId: number, fileId: number): Promise<string | null> {
  const file = await store.findFile(db, userId, fileId);
  if (!file) throw notFound('file');
  return file.text_content;
}

export async function deleteFile(db: Kysely<DB>, userId: number, fileId: number): Promise<void> {
  if (!(await store.deleteFile(db, userId, fileId))) throw notFound('file');
}
