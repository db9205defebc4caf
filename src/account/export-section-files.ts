import type { Kysely } from 'kysely';
import { isPostgres } from '../db/migrations/columns.js';
import type { DB } from '../db/schema.js';
import { archiveEntryName } from '../files/names.js';
import { toPublicFile } from '../files/service.js';
import { PagedList, PiecedString } from './export-json.js';
import { escapeHtml, readableTime } from './export-readable.js';
import { eachRow, PAGE_ROWS, type Attachment, type ExportSection } from './export-section.js';
import * as store from './store.js';

/** File bytes are read this many at a time (a multiple of 3: base64 needs no padding between slices). */
const FILE_SLICE_BYTES = 3 * 256 * 1024;

/**
 * A file's bytes a slice at a time. PostgreSQL sends a slice per query (`substr` on bytea), so
 * no query decodes 10 MB of hex at once. SQLite reads the blob whole (`substr` there would
 * load the whole blob for every slice); one file at a time is still bounded by MAX_UPLOAD_MB.
 */
async function* fileBytes(db: Kysely<DB>, fileId: number): AsyncGenerator<Uint8Array> {
  if (isPostgres(db)) {
    for (let offset = 0; ; offset += FILE_SLICE_BYTES) {
      const slice = await store.readFileContentSlice(db, fileId, offset, FILE_SLICE_BYTES);
      if (slice.length > 0) yield slice;
      if (slice.length < FILE_SLICE_BYTES) return;
    }
  }
  const content = await store.readFileContent(db, fileId);
  for (let offset = 0; offset < content.length; offset += FILE_SLICE_BYTES) yield content.subarray(offset, offset + FILE_SLICE_BYTES);
}

async function* base64Pieces(db: Kysely<DB>, fileId: number): AsyncGenerator<string> {
  for await (const bytes of fileBytes(db, fileId)) yield Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

/** Where a file's bytes sit in the zip: its id keeps names unique, the name is made safe. */
export const archivePath = (file: { id: number; name: string }) => `files/${file.id}-${archiveEntryName(file.name)}`;

/** Text formats shrink when deflated; PDF, DOCX and ODT are compressed already. */
const compressible = (contentType: string) => /^text\/|^application\/rtf/.test(contentType);

export const filesSection: ExportSection = {
  key: 'files',
  json: ({ db, userId, includeFiles, inArchive }) =>
    new PagedList(PAGE_ROWS.large, (page) => store.listFiles(db, userId, page), (rows) =>
      rows.map((row) => ({
        ...toPublicFile(row, row.text_content !== null),
        textContent: row.text_content,
        path: inArchive ? archivePath(row) : undefined,
        contentBase64: includeFiles && !inArchive ? new PiecedString(() => base64Pieces(db, row.id)) : undefined,
      })),
    ),

  async readable({ db, userId }, doc) {
    await doc.html('<section>\n<h2>Files</h2>\n');
    let any = false;
    for await (const file of eachRow(PAGE_ROWS.large, (page) => store.listFiles(db, userId, page))) {
      if (!any) await doc.html('<p>The files you uploaded are in the <code>files</code> folder beside this page.</p>\n<ul>\n');
      any = true;
      const path = archivePath(file);
      const href = path.split('/').map(encodeURIComponent).join('/');
      await doc.html(`<li><a href="${escapeHtml(href)}">${escapeHtml(file.name)}</a> <span class="meta">uploaded ${escapeHtml(readableTime(file.created_at))}</span></li>\n`);
    }
    await doc.html(any ? '</ul>\n</section>\n' : '<p class="none">No files.</p>\n</section>\n');
  },

  async *attachments({ db, userId }): AsyncGenerator<Attachment> {
    for await (const file of eachRow(PAGE_ROWS.large, (page) => store.listFiles(db, userId, page))) {
      yield { path: archivePath(file), compress: compressible(file.content_type), pieces: () => fileBytes(db, file.id) };
    }
  },
};
