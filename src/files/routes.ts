import multipart from '@fastify/multipart';
import { waitsOutside } from '../http/pressure.js';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import contentDisposition from 'content-disposition';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { requireUser } from '../auth/gate.js';
import { AppError } from '../errors.js';
import { releaseWhenSent } from '../http/release-after-send.js';
import { IdParams } from '../http/schemas.js';
import { excerpt } from '../http/text.js';
import { assertValidText } from '../http/validation.js';
import { limitPerUser } from '../limits/hooks.js';
import type { ExtractionPool } from './extract-pool.js';
import { UploadSlots } from './upload-slots.js';
import { asciiFallbackName } from './names.js';
import { ReceiveBuffers, receiveFile } from './receive.js';
import { NoContent } from '../http/response-schemas.js';
import { FileContent, FileList, FileResponse } from './responses.js';
import { deleteFile, getFileContent, listFiles, saveUpload } from './service.js';

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

/** The server hands in the extraction pool, which it also reports in /metrics and closes. */
export async function filesRoutes(parent: FastifyInstance, { extraction }: { extraction: ExtractionPool }): Promise<void> {
  const { db, config } = parent.ctx;
  const maxBytes = config.maxUploadMb * 1024 * 1024;
  // Registered here so multipart parsing exists only under /api/files.
  await parent.register(multipart, {
    limits: { fileSize: maxBytes, files: 1, fields: 10, fieldSize: 1024, parts: 11, headerPairs: 100 },
  });
  const { archive } = extraction.limits;
  const uploads = { db, extraction, archive, maxStorageBytes: config.maxStorageMbPerUser * 1024 * 1024, slots: new UploadSlots(UPLOADS_AT_ONCE) };
  // One buffer per upload admitted at once, each up to RECEIVE_BUFFER_POOLED_MAX_BYTES.
  const buffers = new ReceiveBuffers(config.maxUploadsAtOnce, RECEIVE_BUFFER_POOLED_MAX_BYTES);
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();

  // Uploads received and checked at once: 100 parallel 10 MB uploads all read into memory took
  // ~1 GB and held /health for seconds. Admitted first (before the session lookup and the
  // rate-limit write), so a refused upload costs neither the database nor the user's budget;
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

  app.post(
    '/',
    // Its body arrives at the client's pace: not work waiting for the loop (see http/pressure.ts).
    { config: waitsOutside, schema: { response: { 201: FileResponse } }, onRequest: admitUpload, preHandler: limitPerUser('uploads') },
    async (request, reply) => {
      const userId = requireUser(request).userId;
      const upload = await readUpload(request, config.maxUploadMb, buffers);
      try {
        const file = await saveUpload({ ...uploads, log: request.log, checked: slots.get(request) }, userId, upload);
        return reply.code(201).send({ file });
      } finally {
        // Stored or refused, nothing reads the bytes any more (see ReceiveBuffers).
        buffers.give(upload.bytes);
      }
    },
  );

  const limits = { maxFileBytes: maxBytes, maxStorageBytes: uploads.maxStorageBytes };
  // The limits ride along with the list the Files screen loads anyway: no request of their own.
  app.get('/', { schema: { response: { 200: FileList } } }, async (request) => ({ files: await listFiles(db, requireUser(request).userId), limits }));

  // Never compressed on the way out: the bytes go as stored (their ETag is their SHA-256, and
  // most documents, PDF, DOCX, ODT, are compressed already).
  app.get('/:id/content', { compress: false, schema: { params: IdParams, response: { 200: FileContent } } }, async (request, reply) => {
    const file = await getFileContent(db, requireUser(request).userId, request.params.id);
    // The bytes are this request's own copy (better-sqlite3's, or parseBinaryCopy's on
    // PostgreSQL): freed once sent, not left to the GC.
    releaseWhenSent(reply, file.content);
    return reply
      .type(file.contentType)
      .header('content-disposition', contentDisposition(file.name, { type: 'attachment', fallback: asciiFallbackName(file.name) }))
      .header('x-content-type-options', 'nosniff')
      // Even opened directly, the document may not run scripts or load anything.
      .header('content-security-policy', "default-src 'none'; sandbox")
      .header('cache-control', 'private, no-store')
      .header('etag', `"${file.sha256}"`)
      .send(file.content);
  });

  app.delete('/:id', { schema: { params: IdParams, response: { 204: NoContent } } }, async (request, reply) => {
    await deleteFile(db, requireUser(request).userId, request.params.id);
    return reply.code(204).send();
  });
}
