import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { clearDeviceCookie, clearSessionCookie, requireUser } from '../auth/gate.js';
import { throttleLimits } from '../auth/login-throttle.js';
import { PASSWORD_MAX_LENGTH } from '../auth/passwords.js';
import { clientAddress } from '../http/client-address.js';
import { leaveUncompressed } from '../http/compression.js';
import { NoContent } from '../http/response-schemas.js';
import contentDisposition from 'content-disposition';
import { exportAccount, exportAccountArchive } from './export.js';
import { AccountArchive, AccountExport } from './responses.js';
import { deleteAccount } from './service.js';

const ExportQuery = Type.Object(
  { includeFiles: Type.Optional(Type.Union([Type.Literal('1'), Type.Literal('0'), Type.Literal('true'), Type.Literal('false')])) },
  { additionalProperties: false },
);
const Deletion = Type.Object(
  { password: Type.Optional(Type.String({ minLength: 1, maxLength: PASSWORD_MAX_LENGTH })) },
  { additionalProperties: false },
);

/** `mosaic-export-2026-12-06.zip`: the day it was made, so several downloads sort and differ. */
const exportFileName = (extension: string) => `mosaic-export-${new Date().toISOString().slice(0, 10)}.${extension}`;

export async function accountRoutes(parent: FastifyInstance): Promise<void> {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const { db, config } = app.ctx;
  const limits = throttleLimits(config);

  app.get('/export', { schema: { querystring: ExportQuery, response: { 200: AccountExport } } }, async (request, reply) => {
    const includeFiles = request.query.includeFiles === '1' || request.query.includeFiles === 'true';
    if (includeFiles) leaveUncompressed(request);
    const document = await exportAccount(db, request.log, requireUser(request).userId, { includeFiles });
    // A stream bypasses the response serializer: the schema documents the streamed document.
    return reply
      .header('cache-control', 'private, no-store')
      .header('content-disposition', contentDisposition(exportFileName('json'), { type: 'attachment' }))
      .type('application/json; charset=utf-8')
      .send(document as never);
  });

  // A route of its own (not `?format=zip`): another type, another document, no options.
  app.get('/export.zip', { compress: false, schema: { response: { 200: AccountArchive } } }, async (request, reply) => {
    const archive = await exportAccountArchive(db, request.log, requireUser(request).userId);
    return reply
      .header('cache-control', 'private, no-store')
      .header('content-disposition', contentDisposition(exportFileName('zip'), { type: 'attachment' }))
      .type('application/zip')
      .send(archive as never);
  });

  app.delete('/', { schema: { body: Deletion, response: { 204: NoContent } } }, async (request, reply) => {
    await deleteAccount(db, app.passwords, requireUser(request).userId, { password: request.body.password, ip: clientAddress(request) }, limits);
    clearSessionCookie(app, reply);
    clearDeviceCookie(app, reply);
    return reply.code(204).send();
  });
}
