import type { Kysely } from 'kysely';
import { consumeAccountToken, deleteAccountTokens } from '../auth/account-tokens.js';
import { requireValidEmail } from '../auth/email.js';
import type { ThrottleLimits } from '../auth/login-throttle.js';
import type { PasswordHasher } from '../auth/passwords.js';
import { checkPassword } from '../auth/service.js';
import * as users from '../auth/store.js';
import { isUniqueViolation } from '../db/errors.js';
import type { DB } from '../db/schema.js';
import { addSeconds, nowIso } from '../db/values.js';
import { AppError, invalidInput, unauthenticated } from '../errors.js';
import { consume, userSubject, type Rule } from '../limits/service.js';
import type { Outbox } from '../mail/outbox.js';
import { changeEmail } from './store.js';
import { hashToken, invalidToken, issueToken, mayMail, MAILS_TO_ONE_ADDRESS } from './tokens.js';
import { mailOff } from './verification.js';

export const CHANGE_PAGE = '/confirm-email';
export const CHANGE_HOURS = 24;

const CHANGES: Rule = { name: 'email-changes', max: 5, windowMs: 3_600_000 };
const emailTaken = () => new AppError(409, 'email_taken', 'An account with this email already exists.');

/**
 * Asks to move the account to `newEmail`: after the password is checked (on the login budget),
 * a confirmation goes to the new address. Until its link is followed nothing changes.
 */
export async function requestEmailChange(
  db: Kysely<DB>,
  passwords: PasswordHasher,
  outbox: Outbox,
  auth: { userId: number; ip: string; requestId: string },
  input: { newEmail: string; currentPassword: string },
  limits: ThrottleLimits,
): Promise<{ pendingEmail: string }> {
  if (!outbox.enabled) throw mailOff();
  const user = await users.findUserById(db, auth.userId);
  if (!user) throw unauthenticated();
  if (!user.email) throw new AppError(409, 'guest', 'A guest has no address to change; create an account first.');
  const newEmail = requireValidEmail(input.newEmail);
  if (newEmail === user.email) throw invalidInput('newEmail is already the address of this account');
  await checkPassword(db, passwords, user, input.currentPassword, auth.ip, limits);
  if (await users.findUserByEmail(db, newEmail)) throw emailTaken();
  await consume(db, CHANGES, userSubject(user.id));
  await db.transaction().execute(async (trx) => {
    if (!(await mayMail(trx, newEmail))) throw new AppError(429, 'rate_limited', `Too many mails to this address (${MAILS_TO_ONE_ADDRESS.name}); try again later.`);
    await deleteAccountTokens(trx, user.id, ['change_email']);
    const now = nowIso();
    const expiresAt = addSeconds(now, CHANGE_HOURS * 3600);
    const token = await issueToken(trx, { id: user.id, email: newEmail }, 'change_email', now, expiresAt);
    await outbox.queue(
      trx,
      newEmail,
      { kind: 'change_email', link: outbox.link(CHANGE_PAGE, token), newEmail, validHours: CHANGE_HOURS },
      { requestId: auth.requestId, usefulUntil: expiresAt },
    );
  });
  outbox.wake();
  return { pendingEmail: newEmail };
}

/**
 * Makes the change the token was mailed for, if the new address is still free, and tells the
 * old address. The account's other pending tokens (resets mailed to the old address,
 * verifications of it) end with it.
 */
export async function confirmEmailChange(db: Kysely<DB>, outbox: Outbox, token: string, requestId: string): Promise<{ email: string }> {
  let email: string;
  try {
    email = await db.transaction().execute(async (trx) => {
      const now = nowIso();
      const used = await consumeAccountToken(trx, hashToken(token), 'change_email', now);
      if (!used) throw invalidToken();
      const user = await users.findUserById(trx, used.user_id);
      if (!user?.email) throw invalidToken();
      const oldEmail = user.email;
      if (!(await changeEmail(trx, user.id, oldEmail, used.email, now))) throw invalidToken();
      await deleteAccountTokens(trx, user.id, ['password_reset', 'verify_email', 'change_email']);
      await outbox.queue(trx, oldEmail, { kind: 'email_changed', newEmail: used.email }, { requestId });
      return used.email;
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw emailTaken();
    throw error;
  }
  outbox.wake();
  return { email };
}
