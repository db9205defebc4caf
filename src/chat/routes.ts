import type { FastifyInstance } from 'fastify';
import { waitsOutside } from '../http/pressure.js';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { requireUser } from '../auth/gate.js';
import { limitPerUser } from '../limits/hooks.js';
import { Exchange, MessagePage, MetricsHistory } from './responses.js';
import { NoContent } from '../http/response-schemas.js';
import { clearConversation, getMetrics, listMessages, MAX_PAGE_SIZE, METRICS_HISTORY, sendMessage } from './service.js';

// Emptiness and length are checked by the service, which answers empty_message / message_too_long.
const NewMessage = Type.Object({ content: Type.String() }, { additionalProperties: false });

const PageQuery = Type.Object(
  {
    before: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_PAGE_SIZE })),
  },
  { additionalProperties: false },
);

const MetricsQuery = Type.Object(
  { limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })) },
  { additionalProperties: false },
);

export async function chatRoutes(parent: FastifyInstance): Promise<void> {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const { db, coach } = app.ctx;

  // Its time is mostly the coach's API answering: not work waiting for the loop (see http/pressure.ts).
  app.post('/messages', { config: waitsOutside, schema: { body: NewMessage, response: { 201: Exchange } }, preHandler: limitPerUser('chatMessages') }, async (request, reply) => {
    const exchange = await sendMessage(db, coach, requireUser(request).userId, request.body.content, request.log);
    return reply.code(201).send(exchange);
  });

  app.get('/messages', { schema: { querystring: PageQuery, response: { 200: MessagePage } } }, async (request) =>
    listMessages(db, requireUser(request).userId, request.query),
  );

  // The person's own choice (the web app asks first); the only way chat messages are deleted
  // short of deleting the account.
  app.delete('/messages', { schema: { response: { 204: NoContent } } }, async (request, reply) => {
    await clearConversation(db, requireUser(request).userId);
    return reply.code(204).send();
  });

  app.get('/metrics', { schema: { querystring: MetricsQuery, response: { 200: MetricsHistory } } }, async (request) =>
    getMetrics(db, requireUser(request).userId, request.query.limit ?? METRICS_HISTORY),
  );
}
