import type { Kysely } from 'kysely';
import { consumeAccountToken, deleteAccountTokens, findLiveAccountToken } from '../auth/account-tokens.js';
import { normalizeEmail } from '../auth/email.js';
import { forgetEmailFailures, type ThrottleLimits } from '../auth/login-throttle.js';
import type { PasswordHasher } from '../auth/passwords.js';
import { createSession, revokeUserSessions } from '../auth/sessions.js';
import * as users from '../auth/store.js';
import type { ClientInfo } from '../auth/service.js';
import type { DB } from '../db/schema.js';
import { addSeconds, nowIso } from '../db/values.js';
import type { Outbox } from '../mail/outbox.js';
import { hashToken, invalidToken, issueToken, mayMail } from './tokens.js';
import { markVerified } from './store.js';

export const RESET_PAGE = '/reset-password';

const ttlSeconds = (outbox: Outbox) => outbox.config.passwordResetTtlMinutes * 60;

/**
 * "Forgot password": mails a reset link to the account with this email, if there is one (a
 * registered, non-guest account), the address has not had its share of mail this hour, and
 * mail is configured. The caller learns none of this: every case does the same work (one
 * lookup, one transaction counting the address's mail and replacing the reset tokens) and the
 * route answers the same. Without SMTP no token is made: it would reach nobody, and would
 * supersede a link an operator printed (`mosaic users reset-link`).
 */
export async function requestPasswordReset(db: Kysely<DB>, outbox: Outbox, rawEmail: string, requestId: string): Promise<void> {
  const email = normalizeEmail(rawEmail);
  const user = await users.findUserByEmail(db, email);
  await db.transaction().execute(async (trx) => {
    const allowed = await mayMail(trx, email);
    const target = user?.email && allowed && outbox.enabled ? { id: user.id, email: user.email } : undefined;
    // Unknown addresses run the same delete (on no row), so both paths make the same round trips up to here.
    await deleteAccountTokens(trx, target?.id ?? 0, ['password_reset']);
    if (!target) return;
    const now = nowIso();
    const expiresAt = addSeconds(now, ttlSeconds(outbox));
    const token = await issueToken(trx, target, 'password_reset', now, expiresAt);
    await outbox.queue(
      trx,
      target.email,
      { kind: 'password_reset', link: outbox.link(RESET_PAGE, token), validMinutes: outbox.config.passwordResetTtlMinutes },
      { requestId, usefulUntil: expiresAt },
    );
  });
  outbox.wake();
}

/**
 * A one-time reset link for an operator to hand over (`mosaic users reset-link`): made as the
 * mail's would be (superseding earlier ones), whether or not mail is configured.
 */
export async function issueResetLink(db: Kysely<DB>, outbox: Outbox, rawEmail: string): Promise<{ userId: number; link: string; expiresAt: string } | undefined> {
  const user = await users.findUserByEmail(db, normalizeEmail(rawEmail));
  if (!user?.email) return undefined;
  const target = { id: user.id, email: user.email };
  return db.transaction().execute(async (trx) => {
    await deleteAccountTokens(trx, target.id, ['password_reset']);
    const now = nowIso();
    const expiresAt = addSeconds(now, ttlSeconds(outbox));
    const token = await issueToken(trx, target, 'password_reset', now, expiresAt);
    return { userId: target.id, link: outbox.link(RESET_PAGE, token), expiresAt };
  });
}

export interface ResetDone {
  email: string;
  /** A session of the account, unless the browser holds a guest's work (see the route). */
  session?: { token: string; expiresAt: string };
}

/**
 * Sets a new password from a reset link: the token is used up, the password set through the
 * one store function that sets passwords, every session of the account and every other
 * pending reset ended, and the email's failed logins forgotten (a person locked out by their
 * own wrong guesses gets in at once) — all in one transaction. Following the mailed link
 * proves the mailbox, so the address counts as verified too.
 */
export async function confirmPasswordReset(
  db: Kysely<DB>,
  passwords: PasswordHasher,
  input: { token: string; newPassword: string },
  options: { limits: ThrottleLimits; client: ClientInfo; logIn: boolean },
): Promise<ResetDone> {
  const tokenHash = hashToken(input.token);
  // Checked before the Argon2 work, so a wrong token costs a lookup only.
  if (!(await findLiveAccountToken(db, tokenHash, 'password_reset', nowIso()))) throw invalidToken();
  const passwordHash = await passwords.hash(input.newPassword);
  return db.transaction().execute(async (trx) => {
    const now = nowIso();
    const token = await consumeAccountToken(trx, tokenHash, 'password_reset', now);
    if (!token) throw invalidToken();
    const user = await users.findUserById(trx, token.user_id);
    if (!user?.email) throw invalidToken();
    await users.updatePasswordHash(trx, user.id, passwordHash, now);
    await deleteAccountTokens(trx, user.id, ['password_reset']);
    await revokeUserSessions(trx, user.id);
    await forgetEmailFailures(trx, user.email, options.limits);
    if (token.email === user.email) await markVerified(trx, user.id, user.email, now);
    const session = options.logIn ? await createSession(trx, user.id, options.client) : undefined;
    return { email: user.email, ...(session ? { session } : {}) };
  });
}
