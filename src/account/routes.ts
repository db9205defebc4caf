import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { clearDeviceCookie, clearSessionCookie, requireUser } from '../auth/gate.js';
import { throttleLimits } from '../auth/login-throttle.js';
import { PASSWORD_MAX_LENGTH } from '../auth/passwords.js';
import { clientAddress } from '../http/client-address.js';
import { leaveUncompressed } from '../http/compression.js';
import { NoContent } from '../http/response-schemas.js';
import { exportAccount } from './export.js';
import { AccountExport } from './responses.js';
import { deleteAccount } from './service.js';

const ExportQuery = Type.Object(
  { includeFiles: Type.Optional(Type.Union([Type.Literal('1'), Type.Literal('0'), Type.Literal('true'), Type.Literal('false')])) },
  { additionalProperties: false },
);
const Deletion = Type.Object(
  { password: Type.Optional(Type.String({ minLength: 1, maxLength: PASSWORD_MAX_LENGTH })) },
  { additionalProperties: false },
);

export async function accountRoutes(parent: FastifyInstance): Promise<void> {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const { db, config } = app.ctx;
  const limits = throttleLimits(config);

  app.get('/export', { schema: { querystring: ExportQuery, response: { 200: AccountExport } } }, async (request, reply) => {
    const includeFiles = request.query.includeFiles === '1' || request.query.includeFiles === 'true';
    if (includeFiles) leaveUncompressed(request);
    const document = await exportAccount(db, request.log, requireUser(request).userId, { includeFiles });
    // A stream bypasses the response serializer: the schema documents the streamed document.
    return reply.header('cache-control', 'private, no-store').type('application/json; charset=utf-8').send(document as never);
  });

  app.delete('/', { schema: { body: Deletion, response: { 204: NoContent } } }, async (request, reply) => {
    await deleteAccount(db, app.passwords, requireUser(request).userId, { password: request.body.password, ip: clientAddress(request) }, limits);
    clearSessionCookie(app, reply);
    clearDeviceCookie(app, reply);
    return reply.code(204).send();
  });
}
