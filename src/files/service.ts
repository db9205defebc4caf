import { createHash } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { nowIso, readBool } from '../db/values.js';
import { onMissingReference } from '../db/errors.js';
import { AppError, notFound, unauthenticated } from '../errors.js';
import { detectDocumentType } from './detect.js';
import { checkArchive, type ArchiveLimits } from './archive.js';
import type { ExtractionPool } from './extract-pool.js';
import type { UploadSlots } from './upload-slots.js';
import { displayName } from './names.js';
import type { PublicFile } from './responses.js';
import * as store from './store.js';

export type { PublicFile };

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

/** What storing an upload needs beyond the database: the thread pool and the limits. */
export interface UploadContext {
  db: Kysely<DB>;
  log: FastifyBaseLogger;
  extraction: ExtractionPool;
  archive: ArchiveLimits;
  maxStorageBytes: number;
  /** Uploads doing their checks or their write (not their extraction) at once. */
  slots: UploadSlots;
  /** Called once the upload is checked, before it waits for extraction (which has its own bounds). */
  checked?: () => void;
}

const quotaExceeded = (maxStorageBytes: number, usedBytes: number) =>
  new AppError(413, 'quota_exceeded', `Your files may take at most ${maxStorageBytes / 1024 / 1024} MB; delete some to make room.`, {
    maxBytes: maxStorageBytes,
    usedBytes,
  });

/**
 * Stores an uploaded document: its type is judged by its bytes (a ZIP's directory first, so a
 * zip bomb is refused before anything inflates it), its text extracted when the format allows,
 * then metadata, bytes and text are written in one transaction that also checks the user's
 * storage quota. A failed extraction keeps the upload (text stays null): the file is still
 * the person's file. A full extraction queue refuses it (429/503 with Retry-After).
 */
export async function saveUpload(
  ctx: UploadContext,
  userId: number,
  /** `sha256` (hex) as computed while the bytes were received; hashed here when absent. */
  upload: { name: string | undefined; bytes: Buffer; sha256?: string },
): Promise<PublicFile> {
  const { db, log, slots } = ctx;
  if (upload.bytes.length === 0) throw new AppError(400, 'empty_file', 'The file is empty.');
  const name = displayName(upload.name);
  const type = await slots.run(async () => {
    // Cheap early answer before any parsing; the transaction below is what holds under races.
    const used = await store.storedBytes(db, userId);
    if (used + upload.bytes.length > ctx.maxStorageBytes) throw quotaExceeded(ctx.maxStorageBytes, used);
    checkArchive(upload.bytes, ctx.archive);
    return detectDocumentType(upload.bytes, name);
  });
  if (!type) throw unsupportedType();
  ctx.checked?.();
  // Outside the upload slots: documents wait for a thread in the extraction pool's own fair queue.
  let text: string | null = null;
  try {
    text = await ctx.extraction.extract(userId, type.kind, upload.bytes);
  } catch (error) {
    if (error instanceof AppError) throw error;
    log.warn({ err: error, kind: type.kind }, 'text extraction failed; the file is kept without text');
  }
  const sha256 = upload.sha256 ?? createHash('sha256').update(upload.bytes).digest('hex');
  const stored = slots.run(() =>
    db.transaction().execute(async (trx) => {
      const usedNow = await store.lockStoredBytes(trx, userId);
      if (usedNow + upload.bytes.length > ctx.maxStorageBytes) throw quotaExceeded(ctx.maxStorageBytes, usedNow);
      return store.insertFile(
        trx,
        {
          user_id: userId,
          name,
          content_type: type.contentType,
          size: upload.bytes.length,
          sha256,
          text_content: text,
          created_at: nowIso(),
        },
        upload.bytes,
      );
    }),
  );
  // The account may have been deleted during the upload: 401, not a foreign-key 500.
  const row = await onMissingReference(stored, unauthenticated);
  return toPublicFile(row, text !== null);
}

export async function listFiles(db: Kysely<DB>, userId: number): Promise<PublicFile[]> {
  return (await store.listFiles(db, userId)).map((row) => toPublicFile(row, readBool(row.has_text)));
}

/** The start of the extracted text of the person's newest files, for job matching. */
export function listFileTextHeads(db: Kysely<DB>, userId: number, limits: { files: number; chars: number }): Promise<string[]> {
  return store.listFileTextHeads(db, userId, limits);
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
