import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import type { ReadableDocument } from './export-readable.js';
import type * as store from './store.js';

export type ExportedAccount = NonNullable<Awaited<ReturnType<typeof store.findAccount>>>;

/** What every section reads with: the transaction (PostgreSQL) or the database, and whose data. */
export interface ExportContext {
  db: Kysely<DB>;
  account: ExportedAccount;
  userId: number;
  /** The JSON carries each file's bytes as base64 (`?includeFiles=1`). */
  includeFiles: boolean;
  /** The JSON goes into the zip, beside the files: entries name their path in it. */
  inArchive: boolean;
}

/** A file of the zip beside the JSON and the readable document, its bytes read in pieces. */
export interface Attachment {
  /** Path inside the zip, already safe (see files/names.ts archiveEntryName). */
  path: string;
  /** Deflate it; false for formats already compressed (PDF, DOCX, ODT). */
  compress: boolean;
  pieces(): AsyncIterable<Uint8Array>;
}

/**
 * One part of the export. A capability adds its data by writing one of these (in its own
 * `export-section-<name>.ts`) and listing it in `export-sections.ts`:
 * - `json` gives the value of the member `key` of the JSON document: plain JSON for small
 *   things, a PagedList for anything that grows with use (see export-json.ts);
 * - `readable` writes its chapter of the HTML document, with `doc.element` for the person's text;
 * - `attachments` yields files to put in the zip as they are.
 */
export interface ExportSection {
  key: string;
  json(ctx: ExportContext): unknown;
  readable?(ctx: ExportContext, doc: ReadableDocument): Promise<void>;
  attachments?(ctx: ExportContext): AsyncIterable<Attachment>;
}

/**
 * Rows per page of each list: small where one row can be large (a workbook run holds up to 4
 * MB of answers, a résumé or a file's text 100,000–200,000 characters), so a page stays a few
 * megabytes whatever the account holds.
 */
export const PAGE_ROWS = { small: 500, large: 20 } as const;

export function groupBy<T, K>(items: T[], key: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const list = groups.get(key(item));
    if (list) list.push(item);
    else groups.set(key(item), [item]);
  }
  return groups;
}

/** Every row of a paged list, a page at a time (for the readable document). */
export async function* eachRow<R extends { id: number }>(limit: number, page: (page: store.Page) => Promise<R[]>): AsyncGenerator<R> {
  for (let after = 0; ; ) {
    const rows = await page({ after, limit });
    yield* rows;
    if (rows.length < limit) return;
    after = rows[rows.length - 1]!.id;
  }
}
