import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { isUniqueViolation, onMissingReference } from '../db/errors.js';
import { addDays, nowIso } from '../db/values.js';
import { AppError, invalidInput, unauthenticated } from '../errors.js';
import { normalizeEmail, requireValidEmail } from './email.js';
import { reservePasswordCheck, type ThrottleLimits } from './login-throttle.js';
import type { Reservation } from '../limits/service.js';
import { isPasswordsBusy, type PasswordHasher } from './passwords.js';
import { isLegacyHash, verifyStoredPassword } from './legacy-hash.js';
import { deviceTokenFor, knownDevice, rememberDevice } from './devices.js';
import { createSession, revokeUserSessions } from './sessions.js';
import * as store from './store.js';
import type { PublicUser } from './responses.js';
import { deleteAccountTokens } from './account-tokens.js';

export type { PublicUser };

export function toPublicUser(user: { id: number; email: string | null; email_verified_at: string | null; created_at: string }): PublicUser {
  return {
    id: user.id,
    email: user.email,
    guest: user.email === null,
    emailVerified: user.email !== null && user.email_verified_at !== null,
    createdAt: user.created_at,
  };
}

const emailTaken = () => new AppError(409, 'email_taken', 'An account with this email already exists.');
const alreadyRegistered = () =>
  new AppError(409, 'already_registered', 'This guest has already been registered; log in with that account.');
const invalidCredentials = () => new AppError(401, 'invalid_credentials', 'The email or password is wrong.');

export interface ClientInfo {
  ip: string;
  userAgent?: string | undefined;
  ttlDays: number;
  /** MAX_SESSIONS_PER_USER: a login beyond it ends the user's oldest session. */
  maxSessions?: number | undefined;
  /** The browser's device cookie (devices.ts), when it sent a well-formed one. */
  deviceToken?: string | undefined;
}

export interface SessionIssued {
  user: PublicUser;
  token: string;
  expiresAt: string;
  /** Set on a password login or registration: the browser is now known to the account. */
  deviceToken?: string;
}

/** Opens the session and marks the browser as known to the account, in the caller's transaction. */
async function openPasswordSession(trx: Kysely<DB>, userId: number, client: ClientInfo) {
  const deviceToken = deviceTokenFor(client.deviceToken);
  await rememberDevice(trx, userId, deviceToken, { isNew: client.deviceToken === undefined });
  return { ...(await createSession(trx, userId, client)), deviceToken };
}

/** Work done in the transaction that creates an account (the verification mail: src/recovery/). */
export type OnAccountCreated = (trx: Kysely<DB>, user: { id: number; email: string }) => Promise<void>;

/**
 * Creates an account and a first session. Called with a guest's user id, it turns that guest
 * into the account instead, keeping everything the guest made.
 */
export async function registerUser(
  db: Kysely<DB>,
  passwords: PasswordHasher,
  input: { email: string; password: string; guestUserId?: number | undefined },
  client: ClientInfo,
  onCreated?: OnAccountCreated,
): Promise<SessionIssued> {
  const email = requireValidEmail(input.email);
  if (await store.findUserByEmail(db, email)) throw emailTaken();
  const passwordHash = await passwords.hash(input.password);
  const now = nowIso();
  try {
    return await db.transaction().execute(async (trx) => {
      let user: store.UserRow;
      if (input.guestUserId === undefined) {
        user = await store.insertUser(trx, { email, passwordHash, now });
      } else {
        // Only a user still without an email is upgraded: of two upgrades at once, the second
        // finds the email set (PostgreSQL re-checks the row after the first commits) and gets 409.
        const upgraded = await store.setUserCredentials(trx, input.guestUserId, { email, passwordHash, now });
        if (!upgraded) throw (await store.findUserById(trx, input.guestUserId)) ? alreadyRegistered() : unauthenticated();
        // A fresh session for the new account: the guest's token must not outlive the upgrade.
        await revokeUserSessions(trx, upgraded.id);
        user = upgraded;
      }
      await onCreated?.(trx, { id: user.id, email });
      const session = await openPasswordSession(trx, user.id, client);
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

export async function loginUser<T = undefined>(
  db: Kysely<DB>,
  passwords: PasswordHasher,
  input: { email: string; password: string },
  client: ClientInfo,
  limits: ThrottleLimits,
  /** Runs in the session's transaction once the password is right (a guest's work settled, say). */
  alongside?: (trx: Kysely<DB>, userId: number) => Promise<T>,
): Promise<SessionIssued & { alongside: T | undefined }> {
  const email = normalizeEmail(input.email);
  const found = await store.findUserByEmail(db, email);
  // Asked whether or not the account exists, so the answer's timing does not tell.
  const device = await knownDevice(db, found?.id ?? 0, client.deviceToken);
  const reservation = await reservePasswordCheck(db, { email, ip: client.ip, knownDevice: device }, limits);
  const user = await verifyReserved(reservation, async () => {
    const valid = found?.password_hash
      ? await verifyStoredPassword(passwords, found.password_hash, input.password)
      : await passwords.verifyAgainstDecoy(input.password);
    return valid ? found : await loginAsLegacyDuplicate(db, passwords, email, input.password);
  });
  if (!user) throw invalidCredentials();
  // An imported account's first login replaces its legacy hash by Argon2id, in the session's
  // transaction: from then on the weak hash exists nowhere.
  const upgrade = user.password_hash && isLegacyHash(user.password_hash) ? await passwords.hash(input.password) : undefined;
  // The check is given back in the session's transaction: one commit where there were three
  // (each an fsync on SQLite, the event loop waiting). The account may have been deleted since
  // its password was checked: then no session, and the check stays counted.
  try {
    const session = await onMissingReference(
      db.transaction().execute(async (trx) => {
        // Only over the hash that was checked: a change in between wins, and this login fails.
        if (upgrade && !(await store.replaceLegacyHash(trx, user.id, user.password_hash!, upgrade, nowIso()))) throw invalidCredentials();
        await reservation.release(trx);
        const done = alongside ? await alongside(trx, user.id) : undefined;
        return { ...(await openPasswordSession(trx, user.id, client)), alongside: done };
      }),
      invalidCredentials,
    );
    return { user: toPublicUser(user), ...session };
  } catch (error) {
    // The password was right; what failed alongside it (a 409) must not count as a wrong guess.
    if (error instanceof AppError && error.code !== 'invalid_credentials') await reservation.release();
    throw error;
  }
}

/**
 * The predecessor compared emails case-sensitively, so `Ann@x.org` and `ann@x.org` could be two
 * people; one of them kept the address, the others got another (src/legacy/accounts.ts). They
 * still log in with the address they know: when the account at that address refuses the
 * password, each imported duplicate of it is tried. Only addresses that had duplicates pay.
 */
async function loginAsLegacyDuplicate(db: Kysely<DB>, passwords: PasswordHasher, email: string, password: string) {
  for (const candidate of await store.findLegacyDuplicates(db, email)) {
    if (candidate.password_hash && (await verifyStoredPassword(passwords, candidate.password_hash, password))) return candidate;
  }
  return undefined;
}

/** A verification under a reserved check; refused as busy, it was never made, so the check is given back. */
async function verifyReserved<T>(reservation: Reservation, verify: () => Promise<T>): Promise<T> {
  try {
    return await verify();
  } catch (error) {
    if (isPasswordsBusy(error)) await reservation.release();
    throw error;
  }
}

/** Changes the password and ends every other session and every pending reset of the user, in one transaction. */
export async function changePassword(
  db: Kysely<DB>,
  passwords: PasswordHasher,
  auth: { userId: number; sessionId: number; ip: string },
  input: { currentPassword: string; newPassword: string },
  limits: ThrottleLimits,
): Promise<void> {
  const user = await store.findUserById(db, auth.userId);
  if (!user) throw unauthenticated();
  await checkPassword(db, passwords, user, input.currentPassword, auth.ip, limits);
  const passwordHash = await passwords.hash(input.newPassword);
  await db.transaction().execute(async (trx) => {
    await store.updatePasswordHash(trx, auth.userId, passwordHash, nowIso());
    await revokeUserSessions(trx, auth.userId, auth.sessionId);
    await deleteAccountTokens(trx, auth.userId, ['password_reset']);
  });
}

/**
 * Confirms a signed-in user's password before a sensitive change, on the login budget (per
 * email and per address), so a stolen session cookie cannot be used to guess the password.
 */
export async function checkPassword(
  db: Kysely<DB>,
  passwords: PasswordHasher,
  user: { email: string | null; password_hash: string | null },
  password: string | undefined,
  ip: string,
  limits: ThrottleLimits,
): Promise<void> {
  const wrong = () => new AppError(401, 'invalid_credentials', 'The password is wrong.');
  if (!user.password_hash || password === undefined) throw wrong();
  const passwordHash = user.password_hash;
  const reservation = await reservePasswordCheck(db, { email: user.email, ip }, limits);
  if (!(await verifyReserved(reservation, () => verifyStoredPassword(passwords, passwordHash, password)))) throw wrong();
  await reservation.release();
}

/** Throws 401 when the user is gone: the account was deleted while a request was under way. */
export async function requireAccount(db: Kysely<DB>, userId: number): Promise<void> {
  if (!(await store.findUserById(db, userId))) throw unauthenticated();
}

/** Deletes guests idle for `ttlDays` with everything they made; registered users are never touched. */
export function purgeInactiveGuests(db: Kysely<DB>, ttlDays: number, now = new Date()): Promise<number> {
  return store.deleteInactiveGuests(db, addDays(nowIso(now), -ttlDays));
}
