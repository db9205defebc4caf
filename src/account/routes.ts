import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { clearSessionCookie, requireSession, requireUser } from '../auth/gate.js';
import { PASSWORD_MAX_LENGTH } from '../auth/passwords.js';
import { NoContent } from '../http/response-schemas.js';
import { AccountExport } from './responses.js';
import { deleteAccount, exportAccount } from './service.js';

const ExportQuery = Type.Object(
  { includeFiles: Type.Optional(Type.Union([Type.Literal('1'), Type.Literal('0'), Type.Literal('true'), Type.Literal('false')])) },
  { additionalProperties: false },
);
const Deletion = Type.Object(
  { password: Type.Optional(Type.String({ minLength: 1, maxLength: PASSWORD_MAX_LENGTH })) },
  { additionalProperties: false },
);

export async function accountRoutes(parent: FastifyInstance): Promise<void> {
  parent.addHook('preHandler', requireSession);
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const { db } = app.ctx;

  app.get('/export', { schema: { querystring: ExportQuery, response: { 200: AccountExport } } }, async (request, reply) => {
    const includeFiles = request.query.includeFiles === '1' || request.query.includeFiles === 'true';
    const document = await exportAccount(db, requireUser(request).userId, { includeFiles });
    return reply.header('cache-control', 'private, no-store').send(document);
  });

  app.delete('/', { schema: { body: Deletion, response: { 204: NoContent } } }, async (request, reply) => {
    await deleteAccount(db, requireUser(request).userId, request.body.password);
    clearSessionCookie(app, reply);
    return reply.code(204).send();
  });
}
