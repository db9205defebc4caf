import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { clearSessionCookie, loadSession, requireUser, setDeviceCookie, setSessionCookie } from './gate.js';
import { DEVICE_COOKIE, deviceToken } from './devices.js';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from './passwords.js';
import { changePassword, createGuest, loginUser, registerUser, toPublicUser, type ClientInfo, type SessionIssued } from './service.js';
import { LoginResponse, MeResponse, UserResponse } from './responses.js';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { choiceRequired, guestWork, hasWork, settleGuestWork } from '../account/guest-merge.js';
import { deleteSession, revokeUserSessions } from './sessions.js';
import { clientAddress } from '../http/client-address.js';
import { NoContent } from '../http/response-schemas.js';
import { limitPerAddress } from '../limits/hooks.js';
import { throttleLimits } from './login-throttle.js';
import { queueVerification } from '../recovery/verification.js';

const NewPassword = Type.String({ minLength: PASSWORD_MIN_LENGTH, maxLength: PASSWORD_MAX_LENGTH });
const Credentials = Type.Object(
  { email: Type.String({ minLength: 1, maxLength: 320 }), password: NewPassword },
  { additionalProperties: false },
);
// Login accepts any stored password length, but still caps the work an attacker can ask for.
// A guest logging in says what becomes of the guest's work (guest-merge.ts); asked without a
// choice while the guest has work, the answer is 409 `guest_work_choice_required`.
const LoginCredentials = Type.Object(
  {
    email: Type.String({ minLength: 1, maxLength: 320 }),
    password: Type.String({ minLength: 1, maxLength: PASSWORD_MAX_LENGTH }),
    guestWork: Type.Optional(Type.Union([Type.Literal('merge'), Type.Literal('discard')])),
  },
  { additionalProperties: false },
);
const PasswordChange = Type.Object(
  { currentPassword: Type.String({ minLength: 1, maxLength: PASSWORD_MAX_LENGTH }), newPassword: NewPassword },
  { additionalProperties: false },
);

export async function authRoutes(parent: FastifyInstance): Promise<void> {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const { db, config } = app.ctx;
  const limits = throttleLimits(config);
  const client = (request: FastifyRequest): ClientInfo => ({
    ip: clientAddress(request),
    userAgent: request.headers['user-agent'],
    ttlDays: config.sessionTtlDays,
    maxSessions: config.maxSessionsPerUser,
    deviceToken: deviceToken(request.cookies[DEVICE_COOKIE]),
  });
  const issueCookies = (reply: FastifyReply, issued: SessionIssued) => {
    setSessionCookie(app, reply, issued.token, issued.expiresAt);
    if (issued.deviceToken) setDeviceCookie(app, reply, issued.deviceToken);
  };

  app.post('/register', { schema: { body: Credentials, response: { 201: UserResponse } }, preHandler: [loadSession, limitPerAddress('registrations')] }, async (request, reply) => {
    const guestUserId = request.auth?.email === null ? request.auth.userId : undefined;
    const verify = (trx: Parameters<typeof queueVerification>[0], user: { id: number; email: string }) =>
      queueVerification(trx, app.mail, user, request.id);
    const issued = await registerUser(db, app.passwords, { ...request.body, guestUserId }, client(request), verify);
    app.mail.wake();
    issueCookies(reply, issued);
    return reply.code(201).send({ user: issued.user });
  });

  app.post('/guest', { schema: { response: { 201: UserResponse } }, preHandler: limitPerAddress('guests') }, async (request, reply) => {
    const issued = await createGuest(db, client(request));
    setSessionCookie(app, reply, issued.token, issued.expiresAt);
    return reply.code(201).send({ user: issued.user });
  });

  app.post('/login', { schema: { body: LoginCredentials, response: { 200: LoginResponse } }, preHandler: loadSession }, async (request, reply) => {
    const guestId = request.auth?.email === null ? request.auth.userId : undefined;
    let settle: ((trx: Kysely<DB>, userId: number) => Promise<'merged' | 'discarded' | undefined>) | undefined;
    if (guestId !== undefined) {
      const work = await guestWork(db, guestId);
      if (work && hasWork(work) && request.body.guestWork === undefined) throw choiceRequired(work);
      // A guest with nothing made ends too: its session would otherwise outlive it unseen.
      const choice = work && hasWork(work) ? request.body.guestWork ?? 'discard' : 'discard';
      const maxStorageBytes = config.maxStorageMbPerUser * 1024 * 1024;
      settle = (trx, accountId) => settleGuestWork(trx, { guestId, accountId, choice, maxStorageBytes });
    }
    const issued = await loginUser(db, app.passwords, request.body, client(request), limits, settle);
    issueCookies(reply, issued);
    return { user: issued.user, guestWork: issued.alongside ?? null };
  });

  // Logging out ends this session only; the user's data is never touched.
  app.post('/logout', { schema: { response: { 204: NoContent } }, preHandler: loadSession }, async (request, reply) => {
    if (request.auth) await deleteSession(db, request.auth.sessionId);
    clearSessionCookie(app, reply);
    return reply.code(204).send();
  });

  app.post('/logout-all', { schema: { response: { 204: NoContent } } }, async (request, reply) => {
    await revokeUserSessions(db, requireUser(request).userId);
    clearSessionCookie(app, reply);
    return reply.code(204).send();
  });

  // The session lookup already joined the user: who-am-I costs one query.
  app.get('/me', { schema: { response: { 200: MeResponse } } }, async (request) => {
    const auth = requireUser(request);
    const user = toPublicUser({ id: auth.userId, email: auth.email, email_verified_at: auth.emailVerifiedAt, created_at: auth.userCreatedAt });
    return { user, mailEnabled: app.mail.enabled };
  });

  app.post('/password', { schema: { body: PasswordChange, response: { 204: NoContent } } }, async (request, reply) => {
    const auth = requireUser(request);
    await changePassword(db, app.passwords, { userId: auth.userId, sessionId: auth.sessionId, ip: clientAddress(request) }, request.body, limits);
    return reply.code(204).send();
  });
}
