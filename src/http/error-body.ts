import type { FastifyReply } from 'fastify';
import { excerpt } from './text.js';

/** Every error answer, Fastify's and Node's own included: `{"error":{"code","message"}}`. */
export interface ErrorBody {
  error: { code: string; message: string; [extra: string]: unknown };
}

// A message may quote the client's input; it never carries more than a short excerpt of it.
const MESSAGE_MAX_CHARS = 300;

export function sendError(reply: FastifyReply, status: number, code: string, message: string, extra?: Record<string, unknown>) {
  const error = { code, message: excerpt(message, MESSAGE_MAX_CHARS), ...extra };
  return reply.code(status).type('application/json; charset=utf-8').send({ error } satisfies ErrorBody);
}
