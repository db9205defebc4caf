import multipart from '@fastify/multipart';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import contentDisposition from 'content-disposition';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { requireSession, requireUser } from '../auth/gate.js';
import { AppError } from '../errors.js';
import { closeExtractionPool } from './extract-pool.js';
import { asciiFallbackName } from './names.js';
import { NoContent } from '../http/response-schemas.js';
import { FileContent, FileList, FileResponse } from './responses.js';
import { deleteFile, getFileContent, listFiles, saveUpload } from './service.js';

export const FILE_FIELD = 'file';
const FileParams = Type.Object({ id: Type.Integer({ minimum: 1 }) });

const fileTooLarge = (maxMb: number) =>
  new AppError(413, 'file_too_large', `The file is larger than ${maxMb} MB.`, { maxBytes: maxMb * 1024 * 1024 });

/**
 * Reads the one file part into memory, never onto disk, stopping at the size cap: busboy
 * counts the bytes as they stream in and `toBuffer` throws as soon as the cap is passed.
 */
async function readUpload(request: FastifyRequest, maxMb: number): Promise<{ name: string; bytes: Buffer }> {
  if (!request.isMultipart()) {
    throw new AppError(415, 'unsupported_media_type', `Send the file as multipart/form-data in the field "${FILE_FIELD}".`);
  }
  try {
    const part = await request.file();
    if (!part || part.fieldname !== FILE_FIELD) {
      throw new AppError(400, 'invalid_input', `Send the file in the multipart field "${FILE_FIELD}".`);
    }
    return { name: part.filename, bytes: await part.toBuffer() };
  } catch (error) {
    if ((error as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw fileTooLarge(maxMb);
    throw error;
  }
}

export async function filesRoutes(parent: FastifyInstance): Promise<void> {
  const { db, config } = parent.ctx;
  const maxBytes = config.maxUploadMb * 1024 * 1024;
  // Registered here so multipart parsing exists only under /api/files.
  await parent.register(multipart, {
    limits: { fileSize: maxBytes, files: 1, fields: 10, fieldSize: 1024, parts: 11, headerPairs: 100 },
  });
  parent.addHook('onClose', closeExtractionPool);
  parent.addHook('preHandler', requireSession);
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();

  app.post('/', { schema: { response: { 201: FileResponse } } }, async (request, reply) => {
    const userId = requireUser(request).userId;
    const upload = await readUpload(request, config.maxUploadMb);
    const file = await saveUpload(db, request.log, userId, upload);
    return reply.code(201).send({ file });
  });

  app.get('/', { schema: { response: { 200: FileList } } }, async (request) => ({ files: await listFiles(db, requireUser(request).userId) }));

  app.get('/:id/content', { schema: { params: FileParams, response: { 200: FileContent } } }, async (request, reply) => {
    const file = await getFileContent(db, requireUser(request).userId, request.params.id);
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

  app.delete('/:id', { schema: { params: FileParams, response: { 204: NoContent } } }, async (request, reply) => {
    await deleteFile(db, requireUser(request).userId, request.params.id);
    return reply.code(204).send();
  });
}
