import type { FastifyInstance } from 'fastify';
import { waitsOutside } from '../http/pressure.js';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { requireUser } from '../auth/gate.js';
import { limitPerUser } from '../limits/hooks.js';
import { Exchange, MessagePage, MetricsHistory } from './responses.js';
import { NoContent } from '../http/response-schemas.js';
import { answer, answerable, clearConversation, getMetrics, listMessages, MAX_PAGE_SIZE, METRICS_HISTORY, storeMessage } from './service.js';
import { sendEvents, wantsEvents } from './stream.js';

// Emptiness and length are checked by the service, which answers empty_message / message_too_long.
const NewMessage = Type.Object({ content: Type.String() }, { additionalProperties: false });

const PageQuery = Type.Object(
  {
    before: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_PAGE_SIZE })),
  },
  { additionalProperties: false },
);

const MessageParams = Type.Object({ id: Type.Integer({ minimum: 1 }) }, { additionalProperties: false });

const MetricsQuery = Type.Object(
  { limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })) },
  { additionalProperties: false },
);

export async function chatRoutes(parent: FastifyInstance): Promise<void> {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const { db, coach } = app.ctx;

  // Both routes below spend their time mostly on the coach's API answering: not work waiting
  // for the loop (see http/pressure.ts). Each answers one JSON exchange, or, for
  // `Accept: text/event-stream`, server-sent events as the reply is written (see stream.ts).
  // The person's message is stored first and once; a reply is stored whole or not at all.
  const exchangeRoute = { config: waitsOutside, preHandler: limitPerUser('chatMessages') };

  app.post('/messages', { ...exchangeRoute, schema: { body: NewMessage, response: { 201: Exchange } } }, async (request, reply) => {
    const userId = requireUser(request).userId;
    const message = await storeMessage(db, userId, request.body.content);
    if (wantsEvents(request)) {
      return sendEvents(request, reply, (listener, signal) => {
        listener.onMessage?.(message);
        return answer(db, coach, userId, message, { log: request.log, signal, listener });
      });
    }
    return reply.code(201).send(await answer(db, coach, userId, message, { log: request.log }));
  });

  // "Ask again": answers the person's newest message, stored before, whether it has no reply
  // yet (the coach failed, the stream dropped, the server stopped) or has one to replace
  // (regenerate). The message is never stored twice.
  app.post('/messages/:id/reply', { ...exchangeRoute, schema: { params: MessageParams, response: { 201: Exchange } } }, async (request, reply) => {
    const userId = requireUser(request).userId;
    const { message, previousReply } = await answerable(db, userId, request.params.id);
    if (wantsEvents(request)) {
      return sendEvents(request, reply, (listener, signal) => {
        listener.onMessage?.(message);
        return answer(db, coach, userId, message, { log: request.log, signal, listener }, previousReply);
      });
    }
    return reply.code(201).send(await answer(db, coach, userId, message, { log: request.log }, previousReply));
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
