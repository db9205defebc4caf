import { PassThrough } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { leaveUncompressed } from '../http/compression.js';
import { AppError } from '../errors.js';
import type { ChatExchange, ChatStreamEvent } from './responses.js';
import type { ReplyListener } from './service.js';

/** Whether the client asked for the reply as server-sent events rather than one JSON answer. */
export const wantsEvents = (request: FastifyRequest): boolean => (request.headers.accept ?? '').includes('text/event-stream');

function frame({ event, data }: ChatStreamEvent): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

/**
 * Answers with server-sent events while `run` produces the exchange: every check that can
 * refuse the request has run before (a refusal is an ordinary JSON error), so the stream always
 * starts 201 and ends with `done` or `error`. A client that goes away aborts `run`'s signal:
 * the coach stops and nothing of the reply is stored.
 */
export function sendEvents(
  request: FastifyRequest,
  reply: FastifyReply,
  run: (listener: ReplyListener, signal: AbortSignal) => Promise<ChatExchange>,
): FastifyReply {
  // A compressor would hold the parts back until it has a block to write.
  leaveUncompressed(request);
  const body = new PassThrough();
  const gone = new AbortController();
  reply.raw.on('close', () => {
    if (!reply.raw.writableFinished) gone.abort();
  });
  const write = (event: ChatStreamEvent) => {
    if (!body.writableEnded) body.write(frame(event));
  };
  run({ onMessage: (data) => write({ event: 'message', data }), onDelta: (text) => write({ event: 'delta', data: { text } }) }, gone.signal).then(
    (exchange) => {
      write({ event: 'done', data: exchange });
      body.end();
    },
    (error: unknown) => {
      if (!(error instanceof AppError)) request.log.error({ err: error }, 'chat reply failed');
      const details = error instanceof AppError ? { code: error.code, message: error.message, ...error.details } : { code: 'internal_error', message: 'Something went wrong on our side.' };
      write({ event: 'error', data: { error: details } });
      body.end();
    },
  );
  return reply
    .code(201)
    .header('content-type', 'text/event-stream; charset=utf-8')
    .header('cache-control', 'no-store')
    // Proxies (nginx and the like) pass each event on at once instead of buffering.
    .header('x-accel-buffering', 'no')
    .send(body);
}
