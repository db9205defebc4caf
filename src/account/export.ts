import { PassThrough, type Readable } from 'node:stream';
import type { FastifyBaseLogger } from 'fastify';
import { Zip, ZipDeflate, ZipPassThrough } from 'fflate';
import type { Kysely } from 'kysely';
import { isPostgres } from '../db/migrations/columns.js';
import type { DB } from '../db/schema.js';
import { nowIso } from '../db/values.js';
import { unauthenticated } from '../errors.js';
import { ClientGone, Members, PrettyJsonWriter, type TextSink } from './export-json.js';
import { ReadableDocument, readableTime } from './export-readable.js';
import type { ExportContext, ExportedAccount } from './export-section.js';
import { EXPORT_SECTIONS } from './export-sections.js';
import * as store from './store.js';

/** 2: pretty-printed, workbook answers as a list carrying their question text. */
export const EXPORT_FORMAT_VERSION = 2;

/** The zip's entries beside the files (`files/…`, see export-section-files.ts). */
export const ARCHIVE_JSON = 'mosaic-export.json';
export const ARCHIVE_DOCUMENT = 'mosaic-export.html';

/** Resolves once `out` can take more, so the database is read only as fast as the client reads. */
async function drained(out: PassThrough): Promise<void> {
  if (out.destroyed) throw new ClientGone();
  if (!out.writableNeedDrain) return;
  await new Promise<void>((resolve) => {
    const done = () => {
      out.off('drain', done);
      out.off('close', done);
      resolve();
    };
    out.on('drain', done);
    out.on('close', done);
  });
  if (out.destroyed) throw new ClientGone();
}

const responseSink = (out: PassThrough): TextSink => ({
  async write(text) {
    if (out.destroyed) throw new ClientGone();
    out.write(text);
    await drained(out);
  },
});

function documentValue(ctx: ExportContext): Members {
  const { account } = ctx;
  return new Members([
    ['formatVersion', EXPORT_FORMAT_VERSION],
    ['exportedAt', nowIso()],
    [
      'account',
      {
        id: account.id,
        email: account.email,
        guest: account.email === null,
        createdAt: account.created_at,
        updatedAt: account.updated_at,
        lastActiveAt: account.last_active_at,
      },
    ],
    ...EXPORT_SECTIONS.map((section) => [section.key, section.json(ctx)] as const),
  ]);
}

async function writeReadable(ctx: ExportContext, doc: ReadableDocument): Promise<void> {
  const who = ctx.account.email === null ? 'a guest account' : ctx.account.email;
  await doc.begin('Your Mosaic data');
  await doc.element('p', `Exported ${readableTime(nowIso())} for ${who}. The same data, for other programs, is in ${ARCHIVE_JSON}.`, 'meta');
  for (const section of EXPORT_SECTIONS) await section.readable?.(ctx, doc);
  await doc.end();
}

/**
 * The zip, written entry after entry as it is read: the JSON, the readable document, then each
 * file's bytes a slice at a time. fflate hands over each entry's output as it is pushed, so
 * memory holds one page of rows or one slice of a file, whatever the account holds.
 */
async function writeArchive(ctx: ExportContext, out: PassThrough): Promise<void> {
  const zip = new Zip((error, chunk) => {
    if (error) out.destroy(error);
    else if (!out.destroyed) out.write(chunk);
  });
  const entry = async (path: string, compress: boolean, fill: (push: (bytes: Uint8Array) => Promise<void>) => Promise<void>) => {
    const file = compress ? new ZipDeflate(path, { level: 6 }) : new ZipPassThrough(path);
    zip.add(file);
    await fill(async (bytes) => {
      file.push(bytes);
      await drained(out);
    });
    file.push(new Uint8Array(0), true);
    await drained(out);
  };
  const text = (push: (bytes: Uint8Array) => Promise<void>): TextSink => ({ write: (chunk) => push(Buffer.from(chunk, 'utf8')) });

  await entry(ARCHIVE_JSON, true, (push) => new PrettyJsonWriter(text(push)).document(documentValue(ctx)));
  await entry(ARCHIVE_DOCUMENT, true, (push) => writeReadable(ctx, new ReadableDocument(text(push))));
  for (const section of EXPORT_SECTIONS) {
    if (!section.attachments) continue;
    for await (const attachment of section.attachments(ctx)) {
      await entry(attachment.path, attachment.compress, async (push) => {
        for await (const piece of attachment.pieces()) await push(piece);
      });
    }
  }
  zip.end();
}

/**
 * Streams what `write` produces into a new stream. PostgreSQL reads everything in one
 * repeatable-read transaction on its own connection, so the parts agree. SQLite does not: a
 * transaction there holds the one connection every request shares for as long as the download
 * lasts, so each page is read on its own and a write made during the export may show in one
 * part and not another. A failure after the first byte can only cut the stream short.
 */
async function streamExport(
  db: Kysely<DB>,
  log: FastifyBaseLogger,
  userId: number,
  options: { includeFiles: boolean; inArchive: boolean },
  write: (ctx: ExportContext, out: PassThrough) => Promise<void>,
): Promise<Readable> {
  const account: ExportedAccount | undefined = await store.findAccount(db, userId);
  if (!account) throw unauthenticated();
  const stream = new PassThrough();
  const run = (target: Kysely<DB>) => write({ db: target, account, userId, ...options }, stream);
  const done = isPostgres(db) ? db.transaction().setIsolationLevel('repeatable read').execute(run) : run(db);
  done.then(
    () => stream.end(),
    (error: unknown) => {
      if (!(error instanceof ClientGone)) log.error({ err: error }, 'export failed after it started');
      stream.destroy(error instanceof Error ? error : new Error(String(error)));
    },
  );
  return stream;
}

/**
 * Everything the person owns, as one pretty-printed JSON document streamed as it is read:
 * lists in keyset pages, file bytes (with `includeFiles`) a slice at a time, written only as
 * fast as the client reads. The password hash and session token hashes are credentials, not
 * data, and are left out. Throws 401 before anything is sent when the account is gone.
 */
export function exportAccount(db: Kysely<DB>, log: FastifyBaseLogger, userId: number, options: { includeFiles: boolean }): Promise<Readable> {
  return streamExport(db, log, userId, { ...options, inArchive: false }, (ctx, out) => new PrettyJsonWriter(responseSink(out)).document(documentValue(ctx)));
}

/** The same data as a zip: the JSON, a document people can read offline, and the original files. */
export function exportAccountArchive(db: Kysely<DB>, log: FastifyBaseLogger, userId: number): Promise<Readable> {
  return streamExport(db, log, userId, { includeFiles: false, inArchive: true }, writeArchive);
}
