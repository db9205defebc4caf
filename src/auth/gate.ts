import type { FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction, onRequestHookHandler } from 'fastify';
import { AppError, unauthenticated } from '../errors.js';
import { DEVICE_COOKIE, DEVICE_DAYS } from './devices.js';
import { isPublicApiRoute } from './public-routes.js';
import { SESSION_COOKIE, validateSessionToken, validateSessionTokenNow, type SessionUser } from './sessions.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The session's user, set by the gate; null on public routes without a valid session. */
    auth: SessionUser | null;
  }
}

export function setSessionCookie(app: FastifyInstance, reply: FastifyReply, token: string, expiresAt: string): void {
  reply.setCookie(SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'lax',
    path: '/',
    secure: app.ctx.config.production,
    expires: new Date(expiresAt),
  });
}

/**
 * The browser's device token (devices.ts): sent only to the auth routes, never readable by
 * scripts, and kept across log out, since it only marks the browser as one that logged in before.
 */
export function setDeviceCookie(app: FastifyInstance, reply: FastifyReply, token: string): void {
  reply.setCookie(DEVICE_COOKIE, token, {
    httpOnly: true,
    sameSite: 'strict',
    path: '/api/auth',
    secure: app.ctx.config.production,
    maxAge: DEVICE_DAYS * 86_400,
  });
}

/** After an account deletion: the browser is no longer known to anyone it should matter to. */
export function clearDeviceCookie(app: FastifyInstance, reply: FastifyReply): void {
  reply.clearCookie(DEVICE_COOKIE, { httpOnly: true, sameSite: 'strict', path: '/api/auth', secure: app.ctx.config.production });
}

export function clearSessionCookie(app: FastifyInstance, reply: FastifyReply): void {
  reply.clearCookie(SESSION_COOKIE, { httpOnly: true, sameSite: 'lax', path: '/', secure: app.ctx.config.production });
}

/** The session cookie's token, when there is one of a plausible length. */
function sessionToken(request: FastifyRequest): string | undefined {
  const token = request.cookies[SESSION_COOKIE];
  return token && token.length <= 128 ? token : undefined;
}

/**
 * The web app names the account it believes is signed in (`X-Mosaic-User: <id>`) on every
 * request. When the browser's cookie now belongs to someone else (the first person's session
 * ended and another logged in on the same browser), the request is refused as if the session
 * had ended: a page, or a queued edit, of one account can never read or write another's data.
 */
export const EXPECTED_USER_HEADER = 'x-mosaic-user';
const sessionChanged = () => new AppError(401, 'session_changed', 'Another account is signed in on this browser; log in again.');

function gateError(request: FastifyRequest, auth: SessionUser | null | undefined): AppError | undefined {
  if (!auth) return unauthenticated();
  const expected = request.headers[EXPECTED_USER_HEADER];
  return expected !== undefined && expected !== String(auth.userId) ? sessionChanged() : undefined;
}

/** Resolves the session cookie, if any, into `request.auth`; re-sends the cookie when its expiry slid. */
export async function loadSession(this: FastifyInstance, request: FastifyRequest, reply: FastifyReply): Promise<void> {
  const token = sessionToken(request);
  if (!token) return;
  const auth = await validateSessionToken(this.ctx.db, token, { ttlDays: this.ctx.config.sessionTtlDays });
  request.auth = auth;
  if (auth?.refreshed) setSessionCookie(this, reply, token, auth.expiresAt);
}

/**
 * The session check that `closeApiByDefault` puts in front of every private route, so their
 * handlers can rely on `requireUser`.
 * A callback hook, so that a session known at once (SQLite's connection free, the session
 * live and its expiry not due to slide: nearly every request) lets the request on without a
 * promise; otherwise it waits for `loadSession`. Who-am-I on SQLite spent ~20,000 of its
 * ~158,000 instructions in the awaits this skips (callgrind).
 */
export function requireSession(this: FastifyInstance, request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction): void {
  const token = sessionToken(request);
  const known = token ? validateSessionTokenNow(this.ctx.db, token, { ttlDays: this.ctx.config.sessionTtlDays }) : null;
  if (known !== undefined) {
    request.auth = known;
    done(gateError(request, known));
    return;
  }
  loadSession.call(this, request, reply).then(() => done(gateError(request, request.auth)), done);
}

export function requireUser(request: FastifyRequest): SessionUser {
  if (!request.auth) throw unauthenticated();
  return request.auth;
}

/** The OpenAPI security requirement of a route behind the gate (scheme declared in openapi.ts). */
export const SESSION_SECURITY = [{ session: [] }];

/**
 * Closes every route under `/api` by default: unless `PUBLIC_API_ROUTES` lists it, a route
 * gets `requireSession` as its first `onRequest` hook (so no session is 401 before the body is
 * parsed or validated) and the session requirement in its OpenAPI operation. Call it before
 * any route, and before the OpenAPI plugin, which reads the schemas this completes.
 */
export function closeApiByDefault(app: FastifyInstance): void {
  app.addHook('onRoute', (route) => {
    if (route.url !== '/api' && !route.url.startsWith('/api/')) return;
    const methods = [route.method].flat();
    if (methods.every((method) => isPublicApiRoute(method, route.url))) return;
    if (methods.some((method) => isPublicApiRoute(method, route.url))) {
      throw new Error(`${methods.join(',')} ${route.url}: public and private methods in one route`);
    }
    route.onRequest = [requireSession as onRequestHookHandler, ...[route.onRequest ?? []].flat()];
    route.schema = { ...route.schema, security: SESSION_SECURITY };
  });
}
