import { waitsOutside } from '../http/pressure.js';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import contentDisposition from 'content-disposition';
import type { FastifyInstance } from 'fastify';
import { requireUser } from '../auth/gate.js';
import { releaseWhenSent } from '../http/release-after-send.js';
import { IdParams } from '../http/schemas.js';
import { limitPerUser } from '../limits/hooks.js';
import type { ExtractionPool } from './extract-pool.js';
import { asciiFallbackName } from './names.js';
import { NoContent } from '../http/response-schemas.js';
import { FileContent, FileList, FileResponse } from './responses.js';
import { deleteFile, getFileContent, listFiles, saveUpload } from './service.js';
import { registerUploads } from './uploads.js';

/** The server hands in the extraction pool, which it also reports in /metrics and closes. */
export async function filesRoutes(parent: FastifyInstance, { extraction }: { extraction: ExtractionPool }): Promise<void> {
  const { db } = parent.ctx;
  await registerUploads(parent, { extraction });
  const { uploads } = parent;
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();

  app.post(
    '/',
    // Its body arrives at the client's pace: not work waiting for the loop (see http/pressure.ts).
    { config: waitsOutside, schema: { response: { 201: FileResponse } }, onRequest: uploads.admit, preHandler: limitPerUser('uploads') },
    async (request, reply) => {
      const userId = requireUser(request).userId;
      const upload = await uploads.read(request);
      try {
        const file = await saveUpload(uploads.context(request), userId, upload);
        return reply.code(201).send({ file });
      } finally {
        // Stored or refused, nothing reads the bytes any more (see ReceiveBuffers).
        uploads.giveBack(upload.bytes);
      }
    },
  );

  const { limits } = uploads;
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
