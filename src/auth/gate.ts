import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../errors.js';
import { SESSION_COOKIE, validateSessionToken, type SessionUser } from './sessions.js';

export function setSessionCookie(app: FastifyInstance, reply: FastifyReply, token: string, expiresAt: string): void {
  reply.setCookie(SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'lax',
    path: '/',
    secure: app.ctx.config.production,
    expires: new Date(expiresAt),
  });
}

export function clearSessionCookie(app: FastifyInstance, reply: FastifyReply): void {
  reply.clearCookie(SESSION_COOKIE, { httpOnly: true, sameSite: 'lax', path: '/', secure: app.ctx.config.production });
}

/** Resolves the session cookie, if any, into `request.auth`; re-sends the cookie when its expiry slid. */
export async function loadSession(this: FastifyInstance, request: FastifyRequest, reply: FastifyReply): Promise<void> {
  const token = request.cookies[SESSION_COOKIE];
  if (!token || token.length > 128) return;
  const auth = await validateSessionToken(this.ctx.db, token, { ttlDays: this.ctx.config.sessionTtlDays });
  request.auth = auth;
  if (auth?.refreshed) setSessionCookie(this, reply, token, auth.expiresAt);
}

/** The single authentication gate: routes registered behind it can rely on `requireUser`. */
export async function requireSession(this: FastifyInstance, request: FastifyRequest, reply: FastifyReply): Promise<void> {
  await loadSession.call(this, request, reply);
  if (!request.auth) throw new AppError(401, 'unauthenticated', 'Log in to continue.');
}

export function requireUser(request: FastifyRequest): SessionUser {
  if (!request.auth) throw new AppError(401, 'unauthenticated', 'Log in to continue.');
  return request.auth;
}
