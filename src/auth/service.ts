import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { isUniqueViolation } from '../db/errors.js';
import { nowIso } from '../db/values.js';
import { AppError } from '../errors.js';
import { normalizeEmail, requireValidEmail } from './email.js';
import { addressSubject, clearLoginFailures, emailSubject, loginRetryAfter, recordLoginFailure, type ThrottleLimits } from './login-throttle.js';
import { hashPassword, verifyAgainstDecoy, verifyPassword } from './passwords.js';
import { createSession, revokeUserSessions } from './sessions.js';
import * as store from './store.js';

export interface PublicUser {
  id: number;
  email: string | null;
  guest: boolean;
  createdAt: string;
}

export function toPublicUser(user: { id: number; email: string | null; created_at: string }): PublicUser {
  return { id: user.id, email: user.email, guest: user.email === null, createdAt: user.created_at };
}

const emailTaken = () => new AppError(409, 'email_taken', 'An account with this email already exists.');
const invalidCredentials = () => new AppError(401, 'invalid_credentials', 'The email or password is wrong.');

export interface ClientInfo {
  ip: string;
  userAgent?: string | undefined;
  ttlDays: number;
}

export interface SessionIssued {
  user: PublicUser;
  token: string;
  expiresAt: string;
}

/**
 * Creates an account and a first session. Called with a guest's user id, it turns that guest
 * into the account instead, keeping everything the guest made.
 */
export async function registerUser(
  db: Kysely<DB>,
  input: { email: string; password: string; guestUserId?: number | undefined },
  client: ClientInfo,
): Promise<SessionIssued> {
  const email = requireValidEmail(input.email);
  if (await store.findUserByEmail(db, email)) throw emailTaken();
  const passwordHash = await hashPassword(input.password);
  const now = nowIso();
  try {
    return await db.transaction().execute(async (trx) => {
      const guest = input.guestUserId
        ? await store.setUserCredentials(trx, input.guestUserId, { email, passwordHash, now })
        : undefined;
      const user = guest ?? (await store.insertUser(trx, { email, passwordHash, now }));
      // A fresh session for the new account: the guest's token must not outlive the upgrade.
      if (guest) await revokeUserSessions(trx, guest.id);
      const session = await createSession(trx, user.id, client);
      return { user: toPublicUser(user), ...session };
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw emailTaken();
    throw error;
  }
}

/** A user with no email or password, so a visitor can start before registering. */
export async function createGuest(db: Kysely<DB>, client: ClientInfo): Promise<SessionIssued> {
  return db.transaction().execute(async (trx) => {
    const user = await store.insertUser(trx, { email: null, passwordHash: null, now: nowIso() });
    const session = await createSession(trx, user.id, client);
    return { user: toPublicUser(user), ...session };
  });
}

export async function loginUser(
  db: Kysely<DB>,
  input: { email: string; password: string },
  client: ClientInfo,
  limits: ThrottleLimits,
): Promise<SessionIssued> {
  const email = normalizeEmail(input.email);
  const subjects = [emailSubject(email), addressSubject(client.ip)];
  const retryAfter = await loginRetryAfter(db, subjects, limits);
  if (retryAfter > 0) {
    throw new AppError(429, 'too_many_attempts', 'Too many failed logins; try again later.', { retryAfter }, {
      'retry-after': String(retryAfter),
    });
  }
  const user = await store.findUserByEmail(db, email);
  const valid = user?.password_hash
    ? await verifyPassword(user.password_hash, input.password)
    : await verifyAgainstDecoy(input.password);
  if (!user || !valid) {
    await recordLoginFailure(db, subjects);
    throw invalidCredentials();
  }
  await clearLoginFailures(db, emailSubject(email));
  const session = await createSession(db, user.id, client);
  return { user: toPublicUser(user), ...session };
}

/** Changes the password and ends every other session of the user, in one transaction. */
export async function changePassword(
  db: Kysely<DB>,
  userId: number,
  currentSessionId: number,
  input: { currentPassword: string; newPassword: string },
): Promise<void> {
  const user = await store.findUserById(db, userId);
  if (!user?.password_hash || !(await verifyPassword(user.password_hash, input.currentPassword))) {
    throw new AppError(401, 'invalid_credentials', 'The current password is wrong.');
  }
  const passwordHash = await hashPassword(input.newPassword);
  await db.transaction().execute(async (trx) => {
    await store.updatePasswordHash(trx, userId, passwordHash, nowIso());
    await revokeUserSessions(trx, userId, currentSessionId);
  });
}

/** Deletes guests idle for `ttlDays` with everything they made; registered users are never touched. */
export function purgeInactiveGuests(db: Kysely<DB>, ttlDays: number, now = new Date()): Promise<number> {
  return store.deleteInactiveGuests(db, nowIso(new Date(now.getTime() - ttlDays * 86_400_000)));
}
