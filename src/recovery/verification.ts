import type { Kysely } from 'kysely';
import { consumeAccountToken, deleteAccountTokens } from '../auth/account-tokens.js';
import * as users from '../auth/store.js';
import type { DB } from '../db/schema.js';
import { addDays, nowIso } from '../db/values.js';
import { AppError, unauthenticated } from '../errors.js';
import { consume, userSubject, type Rule } from '../limits/service.js';
import type { Outbox } from '../mail/outbox.js';
import { markVerified } from './store.js';
import { hashToken, invalidToken, issueToken, mayMail, MAILS_TO_ONE_ADDRESS } from './tokens.js';

export const VERIFY_PAGE = '/verify-email';
export const VERIFY_DAYS = 7;

const RESENDS: Rule = { name: 'verification-resends', max: 3, windowMs: 3_600_000 };

/**
 * Queues the mail that confirms an address, in the caller's transaction (a registration, a
 * guest's upgrade, a resend), replacing any earlier verification token. Nothing without SMTP.
 */
export async function queueVerification(trx: Kysely<DB>, outbox: Outbox, user: { id: number; email: string }, requestId: string): Promise<void> {
  if (!outbox.enabled) return;
  await deleteAccountTokens(trx, user.id, ['verify_email']);
  const now = nowIso();
  const expiresAt = addDays(now, VERIFY_DAYS);
  const token = await issueToken(trx, user, 'verify_email', now, expiresAt);
  await outbox.queue(trx, user.email, { kind: 'verify_email', link: outbox.link(VERIFY_PAGE, token), validDays: VERIFY_DAYS }, { requestId, usefulUntil: expiresAt });
}

/** Confirms the address the token was mailed to, if it is still the account's address. */
export async function verifyEmail(db: Kysely<DB>, token: string): Promise<{ email: string }> {
  return db.transaction().execute(async (trx) => {
    const now = nowIso();
    const used = await consumeAccountToken(trx, hashToken(token), 'verify_email', now);
    if (!used || !(await markVerified(trx, used.user_id, used.email, now))) throw invalidToken();
    return { email: used.email };
  });
}

const alreadyVerified = () => new AppError(409, 'already_verified', 'This address is already confirmed.');
/** 503: the request needs a mail, and this Mosaic has no SMTP_URL. */
export const mailOff = () => new AppError(503, 'mail_not_configured', 'This Mosaic does not send mail; ask whoever runs it.');

/** Sends the verification mail again (rate limited per user and per address). */
export async function resendVerification(db: Kysely<DB>, outbox: Outbox, userId: number, requestId: string): Promise<void> {
  if (!outbox.enabled) throw mailOff();
  const user = await users.findUserById(db, userId);
  if (!user) throw unauthenticated();
  if (!user.email) throw new AppError(409, 'guest', 'A guest has no address to confirm; create an account first.');
  if (user.email_verified_at) throw alreadyVerified();
  const email = user.email;
  await consume(db, RESENDS, userSubject(userId));
  await db.transaction().execute(async (trx) => {
    // The caller owns the address, so saying the address's limit is reached gives nothing away.
    if (!(await mayMail(trx, email))) throw new AppError(429, 'rate_limited', `Too many mails to this address (${MAILS_TO_ONE_ADDRESS.name}); try again later.`);
    await queueVerification(trx, outbox, { id: userId, email }, requestId);
  });
  outbox.wake();
}
