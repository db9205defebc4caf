import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { loadSession, requireUser, setSessionCookie } from '../auth/gate.js';
import { clientAddress } from '../http/client-address.js';
import { throttleLimits } from '../auth/login-throttle.js';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../auth/passwords.js';
import { limitPerAddress } from '../limits/hooks.js';
import { confirmEmailChange, requestEmailChange } from './email-change.js';
import { confirmPasswordReset, requestPasswordReset } from './password-reset.js';
import { EmailChangePending, EmailResult, RecoveryMessage, ResetConfirmed } from './responses.js';
import { TOKEN_PATTERN } from './tokens.js';
import { resendVerification, verifyEmail } from './verification.js';

const Email = Type.String({ minLength: 1, maxLength: 320 });
const Token = Type.String({ pattern: TOKEN_PATTERN, description: 'the token from the mailed link' });
const TokenBody = Type.Object({ token: Token }, { additionalProperties: false });

/** What every password-reset request is told, whether or not a mail was sent. */
export const RESET_REQUESTED =
  'If an account uses this address, a link to set a new password is on its way. It works once, for a short while.';

/**
 * Account recovery and addresses (src/recovery/), under /api/auth. Public, because the person
 * using them may have no session: password-reset, password-reset/confirm, verify-email and
 * email/confirm (a mailed link may be opened on another device). The others need a session.
 */
export async function recoveryRoutes(parent: FastifyInstance): Promise<void> {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const { db, config } = app.ctx;
  const limits = throttleLimits(config);

  app.post(
    '/password-reset',
    {
      schema: { body: Type.Object({ email: Email }, { additionalProperties: false }), response: { 202: RecoveryMessage } },
      preHandler: limitPerAddress('passwordResets'),
    },
    async (request, reply) => {
      await requestPasswordReset(db, app.mail, request.body.email, request.id);
      return reply.code(202).send({ message: RESET_REQUESTED });
    },
  );

  app.post(
    '/password-reset/confirm',
    {
      schema: {
        body: Type.Object(
          { token: Token, newPassword: Type.String({ minLength: PASSWORD_MIN_LENGTH, maxLength: PASSWORD_MAX_LENGTH }) },
          { additionalProperties: false },
        ),
        response: { 200: ResetConfirmed },
      },
      preHandler: loadSession,
    },
    async (request, reply) => {
      // A browser holding a guest's work is not switched to the account behind its back: the
      // person logs in next, where they are asked what becomes of that work.
      const holdsGuest = request.auth !== null && request.auth.email === null;
      const done = await confirmPasswordReset(db, app.passwords, request.body, {
        limits,
        client: { ip: clientAddress(request), userAgent: request.headers['user-agent'], ttlDays: config.sessionTtlDays, maxSessions: config.maxSessionsPerUser },
        logIn: !holdsGuest,
      });
      if (done.session) setSessionCookie(app, reply, done.session.token, done.session.expiresAt);
      return { email: done.email, loggedIn: done.session !== undefined };
    },
  );

  app.post('/verify-email', { schema: { body: TokenBody, response: { 200: EmailResult } } }, async (request) =>
    verifyEmail(db, request.body.token),
  );

  app.post('/email/confirm', { schema: { body: TokenBody, response: { 200: EmailResult } } }, async (request) =>
    confirmEmailChange(db, app.mail, request.body.token, request.id),
  );

  app.post('/verify-email/resend', { schema: { response: { 202: RecoveryMessage } } }, async (request, reply) => {
    await resendVerification(db, app.mail, requireUser(request).userId, request.id);
    return reply.code(202).send({ message: 'A new confirmation link is on its way.' });
  });

  app.post(
    '/email',
    {
      schema: {
        body: Type.Object({ newEmail: Email, currentPassword: Type.String({ minLength: 1, maxLength: PASSWORD_MAX_LENGTH }) }, { additionalProperties: false }),
        response: { 202: EmailChangePending },
      },
    },
    async (request, reply) => {
      const auth = requireUser(request);
      const pending = await requestEmailChange(db, app.passwords, app.mail, { userId: auth.userId, ip: clientAddress(request), requestId: request.id }, request.body, limits);
      return reply.code(202).send(pending);
    },
  );
}
