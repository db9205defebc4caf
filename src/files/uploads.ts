import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../errors.js';
import { excerpt } from '../http/text.js';
import { assertValidText } from '../http/validation.js';
import type { ExtractionPool } from './extract-pool.js';
import { ReceiveBuffers, receiveFile } from './receive.js';
import type { UploadContext } from './service.js';
import { UploadSlots } from './upload-slots.js';

export const FILE_FIELD = 'file';
/**
 * Uploads checked and written at once, per instance. Two keep the event loop and the database
 * free for everything else while a burst of 10 MB uploads drains one after another.
 */
const UPLOADS_AT_ONCE = 2;

/**
 * Receive buffers up to this size are reused between uploads (receive.ts): résumés are mostly
 * under 2 MB; an idle instance then keeps at most MAX_UPLOADS_AT_ONCE × 2 MiB of them.
 */
const RECEIVE_BUFFER_POOLED_MAX_BYTES = 2 * 1024 * 1024;

/** Seconds a refused upload is told to wait: a 10 MB upload is stored in about one. */
const BUSY_RETRY_AFTER_SECONDS = 2;
const uploadsBusy = () =>
  new AppError(503, 'uploads_busy', 'Too many uploads are arriving right now; try again shortly.', undefined, {
    'retry-after': String(BUSY_RETRY_AFTER_SECONDS),
  });

const fileTooLarge = (maxMb: number) =>
  new AppError(413, 'file_too_large', `The file is larger than ${maxMb} MB.`, { maxBytes: maxMb * 1024 * 1024 });

/**
 * Reads the one file part into memory, never onto disk, stopping at the size cap: busboy
 * counts the bytes as they stream in and flags the part once the cap is passed. The bytes land
 * in one buffer and are hashed on the way in (see receive.ts).
 */
async function readUpload(
  request: FastifyRequest,
  maxMb: number,
  buffers: ReceiveBuffers,
): Promise<{ name: string; bytes: Buffer; sha256: string }> {
  if (!request.isMultipart()) {
    throw new AppError(415, 'unsupported_media_type', `Send the file as multipart/form-data in the field "${FILE_FIELD}".`);
  }
  try {
    const part = await request.file();
    if (!part || part.fieldname !== FILE_FIELD) {
      throw new AppError(400, 'invalid_input', `Send the file in the multipart field "${FILE_FIELD}".`);
    }
    assertValidText(part.filename, 'file name');
    for (const [name, field] of Object.entries(part.fields)) {
      for (const value of [field].flat()) {
        if (value?.type === 'field' && typeof value.value === 'string') assertValidText(value.value, `field ${excerpt(name, 40)}`);
      }
    }
    const declared = Number(request.headers['content-length']);
    const received = await receiveFile(part.file, {
      maxBytes: maxMb * 1024 * 1024,
      declaredBytes: Number.isNaN(declared) ? undefined : declared,
      buffers,
    });
    if (received.truncated) {
      buffers.give(received.bytes);
      throw fileTooLarge(maxMb);
    }
    return { name: part.filename, bytes: received.bytes, sha256: received.sha256 };
  } catch (error) {
    if ((error as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw fileTooLarge(maxMb);
    // Nothing here but parsing: busboy's own errors (no boundary, an unterminated part, a
    // malformed part header) carry no status and are the client's malformed body.
    if (error instanceof Error && !(error instanceof AppError) && (error as { statusCode?: number }).statusCode === undefined) {
      throw new AppError(400, 'invalid_multipart', `The multipart body is malformed: ${error.message}`);
    }
    throw error;
  }
}

export interface Uploads {
  /** onRequest hook: admits the upload or answers 503 uploads_busy before anything is read. */
  admit(request: FastifyRequest, reply: FastifyReply): Promise<void>;
  /** The one file part, read into one buffer with its hash; give the bytes back when done. */
  read(request: FastifyRequest): Promise<{ name: string; bytes: Buffer; sha256: string }>;
  /** Hands a received buffer back for reuse once nothing reads it any more. */
  giveBack(bytes: Buffer): void;
  /** What saving an upload needs (the service's context), for this request. */
  context(request: FastifyRequest): UploadContext;
  limits: { maxFileBytes: number; maxStorageBytes: number };
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The upload machinery, on the files routes' instance only (registerUploads). */
    uploads: Uploads;
  }
}

/**
 * The upload machinery the files routes use: multipart parsing (registered on their instance
 * only), admission before anything is read, receive buffers reused between uploads, the slots
 * that check and write two uploads at once, and the extraction pool the server hands in (it
 * also reports it in /metrics and closes it).
 */
export async function registerUploads(app: FastifyInstance, { extraction }: { extraction: ExtractionPool }): Promise<void> {
  const { db, config } = app.ctx;
  const maxBytes = config.maxUploadMb * 1024 * 1024;
  await app.register(multipart, {
    limits: { fileSize: maxBytes, files: 1, fields: 10, fieldSize: 1024, parts: 11, headerPairs: 100 },
  });
  const { archive } = extraction.limits;
  const shared = { db, extraction, archive, maxStorageBytes: config.maxStorageMbPerUser * 1024 * 1024, slots: new UploadSlots(UPLOADS_AT_ONCE) };
  // One buffer per upload admitted at once, each up to RECEIVE_BUFFER_POOLED_MAX_BYTES.
  const buffers = new ReceiveBuffers(config.maxUploadsAtOnce, RECEIVE_BUFFER_POOLED_MAX_BYTES);

  // Uploads received and checked at once: 100 parallel 10 MB uploads all read into memory took
  // ~1 GB and held /health for seconds. Admitted right after the session check (before the
  // rate-limit write and any body), so a refused upload costs no write and no upload budget;
  // its unread body is drained by Node and the connection kept. The slot is given back once
  // the upload is checked: a slow PDF then waits in the extraction pool's own bounded queue
  // without keeping everyone else's uploads out.
  let inProgress = 0;
  const slots = new WeakMap<FastifyRequest, () => void>();
  const admitUpload = async (request: FastifyRequest, reply: FastifyReply) => {
    if (inProgress >= config.maxUploadsAtOnce) throw uploadsBusy();
    inProgress++;
    let held = true;
    const release = () => {
      if (held) inProgress--;
      held = false;
    };
    slots.set(request, release);
    // 'close' comes once per response, sent or aborted.
    reply.raw.once('close', release);
  };

  app.decorate('uploads', {
    admit: admitUpload,
    read: (request) => readUpload(request, config.maxUploadMb, buffers),
    giveBack: (bytes) => buffers.give(bytes),
    context: (request) => ({ ...shared, log: request.log, checked: slots.get(request) }),
    limits: { maxFileBytes: maxBytes, maxStorageBytes: shared.maxStorageBytes },
  } satisfies Uploads);
}
