import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { clearSessionCookie, requireSession, requireUser } from '../auth/gate.js';
import { throttleLimits } from '../auth/login-throttle.js';
import { PASSWORD_MAX_LENGTH } from '../auth/passwords.js';
import { exportAccount } from './export.js';
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
  parent.addHook('preHandler', requireSession);
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const { db, config } = app.ctx;
  const limits = throttleLimits(config);

  app.get('/export', { schema: { querystring: ExportQuery } }, async (request, reply) => {
    const includeFiles = request.query.includeFiles === '1' || request.query.includeFiles === 'true';
    const document = await exportAccount(db, request.log, requireUser(request).userId, { includeFiles });
    return reply.header('cache-control', 'private, no-store').type('application/json; charset=utf-8').send(document);
  });

  app.delete('/', { schema: { body: Deletion } }, async (request, reply) => {
    await deleteAccount(db, requireUser(request).userId, { password: request.body.password, ip: request.ip }, limits);
    clearSessionCookie(app, reply);
    return reply.code(204).send();
  });
}
