import { PassThrough, type Readable } from 'node:stream';
import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';
import { isPostgres } from '../db/migrations/columns.js';
import type { DB } from '../db/schema.js';
import { nowIso, readJson } from '../db/values.js';
import { toPublicFile } from '../files/service.js';
import { toPublicMatch, toStatusChange } from '../jobs/service.js';
import { toJobStatusChange, toTrackedJob } from '../jobs/tracked-jobs.js';
import { toStoredFeedback } from '../resumes/service.js';
import { exportedVersion } from '../resumes/editing.js';
import { listVersionsPage } from '../resumes/store.js';
import { unauthenticated } from '../errors.js';
import * as store from './store.js';

export const EXPORT_FORMAT_VERSION = 1;

/**
 * Rows per page of each list: small where one row can be large (a workbook run holds up to 4
 * MB of answers, a résumé or a file's text 100,000–200,000 characters), so a page stays a few
 * megabytes whatever the account holds.
 */
const PAGE_ROWS = { small: 500, large: 20 } as const;
/** File bytes are read and encoded this many at a time (a multiple of 3: base64 needs no padding between slices). */
const FILE_SLICE_BYTES = 3 * 256 * 1024;

class ClientGone extends Error {}

/** Writes to the response stream, waiting while the client is slower than the database. */
class JsonWriter {
  constructor(private readonly out: PassThrough) {}

  async write(text: string): Promise<void> {
    if (this.out.destroyed) throw new ClientGone();
    if (this.out.write(text)) return;
    await new Promise<void>((resolve) => {
      const done = () => {
        this.out.off('drain', done);
        this.out.off('close', done);
        resolve();
      };
      this.out.on('drain', done);
      this.out.on('close', done);
    });
    if (this.out.destroyed) throw new ClientGone();
  }

  /** `"name":[item,item,…]`, rendering each page of rows as it arrives. */
  async array<R extends { id: number }>(
    name: string,
    limit: number,
    page: (page: store.Page) => Promise<R[]>,
    render: (rows: R[]) => Promise<unknown[]> | unknown[],
    writeItem: (item: unknown) => Promise<void> = (item) => this.write(JSON.stringify(item)),
  ): Promise<void> {
    await this.write(`${JSON.stringify(name)}:[`);
    let first = true;
    for (let after = 0; ; ) {
      const rows = await page({ after, limit });
      for (const item of await render(rows)) {
        await this.write(first ? '' : ',');
        await writeItem(item);
        first = false;
      }
      if (rows.length < limit) break;
      after = rows[rows.length - 1]!.id;
    }
    await this.write(']');
  }
}

function groupBy<T, K>(items: T[], key: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const list = groups.get(key(item));
    if (list) list.push(item);
    else groups.set(key(item), [item]);
  }
  return groups;
}

/**
 * A file's entry with its bytes as base64, encoded a slice at a time. PostgreSQL sends the
 * bytes a slice per query (`substr` on bytea), so no query decodes 10 MB of hex at once.
 * SQLite reads the blob whole (`substr` there would load the whole blob for every slice);
 * one file at a time is still bounded by MAX_UPLOAD_MB, not by the account.
 */
async function writeFileWithContent(db: Kysely<DB>, out: JsonWriter, file: Record<string, unknown> & { id: number }) {
  const json = JSON.stringify(file);
  await out.write(`${json.slice(0, -1)},"contentBase64":"`);
  const encode = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
  if (isPostgres(db)) {
    for (let offset = 0; ; offset += FILE_SLICE_BYTES) {
      const slice = await store.readFileContentSlice(db, file.id, offset, FILE_SLICE_BYTES);
      if (slice.length > 0) await out.write(encode(slice));
      if (slice.length < FILE_SLICE_BYTES) break;
    }
  } else {
    const content = await store.readFileContent(db, file.id);
    for (let offset = 0; offset < content.length; offset += FILE_SLICE_BYTES) {
      await out.write(encode(content.subarray(offset, offset + FILE_SLICE_BYTES)));
    }
  }
  await out.write('"}');
}

async function writeDocument(
  db: Kysely<DB>,
  out: JsonWriter,
  account: NonNullable<Awaited<ReturnType<typeof store.findAccount>>>,
  includeFiles: boolean,
): Promise<void> {
  const userId = account.id;
  const header = {
    formatVersion: EXPORT_FORMAT_VERSION,
    exportedAt: nowIso(),
    account: {
      id: account.id,
      email: account.email,
      guest: account.email === null,
      createdAt: account.created_at,
      updatedAt: account.updated_at,
      lastActiveAt: account.last_active_at,
    },
  };
  await out.write(`${JSON.stringify(header).slice(0, -1)},`);
  await out.array('sessions', PAGE_ROWS.small, (page) => store.listSessions(db, userId, page), (rows) =>
    rows.map((s) => ({ id: s.id, createdAt: s.created_at, expiresAt: s.expires_at, refreshedAt: s.refreshed_at, userAgent: s.user_agent, ip: s.ip })),
  );
  await out.write(',"workbook":{');
  await out.array('runs', PAGE_ROWS.large, (page) => store.listWorkbookRuns(db, userId, page), (rows) =>
    rows.map((run) => ({
      id: run.id,
      flowVersion: run.flow_version,
      currentStep: run.current_step,
      revision: run.revision,
      answers: readJson<Record<string, unknown>>(run.answers),
      startedAt: run.started_at,
      updatedAt: run.updated_at,
      completedAt: run.completed_at,
      archivedAt: run.archived_at,
    })),
  );
  await out.write('},"chat":{');
  await out.array('messages', PAGE_ROWS.small, (page) => store.listChatMessages(db, userId, page), (rows) =>
    rows.map((m) => ({ id: m.id, role: m.role, content: m.content, provider: m.provider, createdAt: m.created_at })),
  );
  await out.write(',');
  await out.array('metrics', PAGE_ROWS.small, (page) => store.listCoachMetrics(db, userId, page), (rows) =>
    rows.map((m) => ({ id: m.id, messageId: m.message_id, clarity: m.clarity, action: m.action, momentum: m.momentum, createdAt: m.created_at })),
  );
  await out.write('},');
  await out.array('jobMatches', PAGE_ROWS.small, (page) => store.listJobMatches(db, userId, page), async (rows) => {
    const events = rows.length ? groupBy(await store.listJobMatchEvents(db, rows.map((r) => r.id)), (e) => e.job_match_id) : new Map();
    return rows.map((row) => ({ ...toPublicMatch(row), history: (events.get(row.id) ?? []).map(toStatusChange) }));
  });
  // The person's own jobs (the board, issue 24 item 3), each with its status history.
  await out.write(',');
  await out.array('trackedJobs', PAGE_ROWS.small, (page) => store.listTrackedJobs(db, userId, page), async (rows) => {
    const events = rows.length ? groupBy(await store.listTrackedJobEvents(db, rows.map((r) => r.id)), (e) => e.tracked_job_id) : new Map();
    return rows.map((row) => ({ ...toTrackedJob(row), history: (events.get(row.id) ?? []).map(toJobStatusChange) }));
  });
  await out.write(',');
  await out.array('resumes', PAGE_ROWS.large, (page) => store.listResumes(db, userId, page), async (rows) => {
    const feedback = rows.length ? groupBy(await store.listResumeFeedback(db, rows.map((r) => r.id)), (f) => f.resume_id) : new Map();
    return rows.map((row) => ({
      id: row.id,
      name: row.name,
      content: row.content,
      fileId: row.file_id,
      jobMatchId: row.job_match_id,
      revision: row.revision,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
      feedback: (feedback.get(row.id) ?? []).map(toStoredFeedback),
    }));
  });
  await out.write(',');
  // Résumé version history (issue 24), a section of its own; files stay last (their bytes can be large).
  await out.array('resumeVersions', PAGE_ROWS.large, (page) => listVersionsPage(db, userId, page), (rows) => rows.map(exportedVersion));
  await out.write(',');
  await out.array(
    'files',
    PAGE_ROWS.large,
    (page) => store.listFiles(db, userId, page),
    (rows) => rows.map((row) => ({ ...toPublicFile(row, row.text_content !== null), textContent: row.text_content })),
    includeFiles ? (file) => writeFileWithContent(db, out, file as { id: number }) : undefined,
  );
  await out.write('}');
}

/**
 * Everything the person owns, as one JSON document streamed as it is read: lists in keyset
 * pages, file bytes (with `includeFiles`) a slice at a time, written only as fast as the client
 * reads, so memory stays flat whatever the account holds. The password hash and session token
 * hashes are credentials, not data, and are left out.
 *
 * PostgreSQL reads everything in one repeatable-read transaction on its own connection, so
 * the parts agree. SQLite does not: a transaction there holds the one connection every request
 * shares for as long as the download lasts, so each page is read on its own and a write made
 * during the export may show in one part and not another.
 *
 * Throws 401 before anything is sent when the account is gone. A failure later can only cut
 * the stream short (the status is sent): the client sees an incomplete JSON document.
 */
export async function exportAccount(
  db: Kysely<DB>,
  log: FastifyBaseLogger,
  userId: number,
  options: { includeFiles: boolean },
): Promise<Readable> {
  const account = await store.findAccount(db, userId);
  if (!account) throw unauthenticated();
  const stream = new PassThrough();
  const out = new JsonWriter(stream);
  const write = (target: Kysely<DB>) => writeDocument(target, out, account, options.includeFiles);
  const done = isPostgres(db) ? db.transaction().setIsolationLevel('repeatable read').execute(write) : write(db);
  done.then(
    () => stream.end(),
    (error: unknown) => {
      if (!(error instanceof ClientGone)) log.error({ err: error }, 'export failed after it started');
      stream.destroy(error instanceof Error ? error : new Error(String(error)));
    },
  );
  return stream;
}
