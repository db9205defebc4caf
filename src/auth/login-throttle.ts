import type { Kysely } from 'kysely';
import type { Config } from '../config.js';
import type { DB } from '../db/schema.js';
import { nowIso } from '../db/values.js';
import { addressKey } from '../http/client-address.js';
import { forgetBuckets, LimitReached, reserve, tooMany, type Hit, type Reservation } from '../limits/service.js';

// Every password check (login, password change, account deletion) is reserved in the database
// before the password is verified, so 100 parallel guesses get no more verifications than the
// budgets allow, on any number of instances; a right password gives its reservation back, a
// wrong one keeps it counted.
//
// Which budgets (issue 27: strangers must not lock the owner out):
// - from a browser that has logged in to the account before (devices.ts): that browser's own
//   budget for the account, `maxFailures`. Nothing sent from elsewhere touches it, so the owner
//   at their usual browser always gets in; a thief at that browser still gets few guesses.
// - from anywhere else: the client address's budget across every email, `maxFailures` (so one
//   address guesses little, and never locks out other addresses), and a per-email ceiling,
//   `maxFailuresPerEmail`, several times higher, which bounds guessing spread over many
//   addresses. Reaching the ceiling needs that many addresses; it then refuses new addresses
//   until the window ends, but never a known browser.

export interface ThrottleLimits {
  maxFailures: number;
  maxFailuresPerEmail: number;
  windowMinutes: number;
}

export const throttleLimits = (config: Config): ThrottleLimits => ({
  maxFailures: config.loginMaxFailures,
  maxFailuresPerEmail: config.loginMaxFailuresPerEmail,
  windowMinutes: config.loginWindowMinutes,
});

const budget = (name: string, max: number, limits: ThrottleLimits) => ({ name, max, windowMs: limits.windowMinutes * 60_000 });
const emailHit = (email: string, limits: ThrottleLimits): Hit => ({
  rule: budget('password-checks-email', limits.maxFailuresPerEmail, limits),
  subject: email,
});
const addressHit = (ip: string, limits: ThrottleLimits): Hit => ({
  rule: budget('password-checks-address', limits.maxFailures, limits),
  // IPv6 by its /64 (addressKey): one network is one budget.
  subject: addressKey(ip),
});
const deviceHit = (device: KnownDevice, limits: ThrottleLimits): Hit => ({
  rule: budget('password-checks-device', limits.maxFailures, limits),
  subject: `${device.userId}:${device.tokenHash}`,
});

/** A browser that has logged in to this user before (see devices.ts). */
export interface KnownDevice {
  userId: number;
  tokenHash: string;
}

/**
 * Reserves one password check for this email and client address (or for the known browser), or
 * throws 429 `too_many_attempts` with `Retry-After`. Release the reservation when the password was right.
 */
export async function reservePasswordCheck(
  db: Kysely<DB>,
  who: { email: string | null; ip: string; knownDevice?: KnownDevice | undefined },
  limits: ThrottleLimits,
): Promise<Reservation> {
  try {
    const hits = who.knownDevice ? [deviceHit(who.knownDevice, limits)] : [addressHit(who.ip, limits)];
    if (!who.knownDevice && who.email !== null) hits.push(emailHit(who.email, limits));
    return await reserve(db, hits);
  } catch (error) {
    if (!(error instanceof LimitReached)) throw error;
    throw tooMany('too_many_attempts', 'Too many failed password attempts; try again later.', error.retryAfter);
  }
}

/** Deletes the failures counted against an email (the account holding it is deleted). */
export function forgetEmailFailures(db: Kysely<DB>, email: string, limits: ThrottleLimits): Promise<void> {
  return forgetBuckets(db, [emailHit(email, limits)]);
}

/** Empties `login_failures`, which versions before 0004 wrote; rows older than the window no longer matter. */
export async function purgeLoginFailures(db: Kysely<DB>, limits: ThrottleLimits, now = new Date()): Promise<number> {
  const before = nowIso(new Date(now.getTime() - limits.windowMinutes * 60_000));
  const result = await db.deleteFrom('login_failures').where('failed_at', '<=', before).executeTakeFirst();
  return Number(result.numDeletedRows);
}
