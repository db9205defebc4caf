import type { FastifyReply, FastifyRequest } from 'fastify';
import { unavailableReason, type UnavailableReason } from '../db/unavailable.js';
import { publishUnavailable } from '../metrics/events.js';
import { sendError } from './error-body.js';

// Seconds a client should wait: a restarting PostgreSQL takes a few seconds, a lock a moment,
// a storage fault needs an operator.
const ANSWERS: Record<UnavailableReason, { code: string; message: string; retryAfter: number }> = {
  unreachable: { code: 'database_unavailable', message: 'The database cannot be reached; try again shortly.', retryAfter: 5 },
  busy: { code: 'database_busy', message: 'The database is busy; try again shortly.', retryAfter: 2 },
  storage: { code: 'database_unavailable', message: 'The database cannot store data right now; try again later.', retryAfter: 30 },
};

/**
 * Answers 503 with Retry-After when `error` says the database is down, locked or its storage
 * is failing, and returns true; returns false for any other error. Never retries: the write
 * may or may not have been applied, and only the client can decide to send it again.
 */
export function replyIfDatabaseUnavailable(error: unknown, request: FastifyRequest, reply: FastifyReply): boolean {
  const reason = unavailableReason(error);
  if (reason === null) return false;
  const answer = ANSWERS[reason];
  const cause = error as { code?: unknown; message?: unknown };
  // One line an operator can act on, without the stack (the cause is the database, not the code).
  request.log.error(
    { dbReason: reason, dbCode: cause.code, dbError: String(cause.message ?? error) },
    `database ${reason}: ${String(cause.message ?? error)}`,
  );
  publishUnavailable({ reason });
  reply.header('retry-after', String(answer.retryAfter));
  sendError(reply, 503, answer.code, answer.message);
  return true;
}
