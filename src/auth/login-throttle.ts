import type { Kysely } from 'kysely';
import type { Config } from '../config.js';
import type { DB } from '../db/schema.js';
import { nowIso } from '../db/values.js';
import { addressKey } from '../http/client-address.js';
import { forgetBuckets, LimitReached, reserve, tooMany, type Hit, type Reservation } from '../limits/service.js';

// Every password check (login, password change, account deletion) draws on one budget per
// email and one per client address. The check is reserved in the database before the password
// is verified, so 100 parallel guesses get at most `maxFailures` verifications, on any number
// of instances; a right password gives its reservation back, a wrong one keeps it counted.

export interface ThrottleLimits {
  maxFailures: number;
  windowMinutes: number;
}

export const throttleLimits = (config: Config): ThrottleLimits => ({
  maxFailures: config.loginMaxFailures,
  windowMinutes: config.loginWindowMinutes,
});

const budget = (name: string, limits: ThrottleLimits) => ({ name, max: limits.maxFailures, windowMs: limits.windowMinutes * 60_000 });
const emailHit = (email: string, limits: ThrottleLimits): Hit => ({ rule: budget('password-checks-email', limits), subject: email });
// IPv6 by its /64 (addressKey): one network is one budget.
const addressHit = (ip: string, limits: ThrottleLimits): Hit => ({ rule: budget('password-checks-address', limits), subject: addressKey(ip) });

/**
 * Reserves one password check for this email and client address, or throws 429
 * `too_many_attempts` with `Retry-After`. Release the reservation when the password was right.
 */
export async function reservePasswordCheck(
  db: Kysely<DB>,
  who: { email: string | null; ip: string },
  limits: ThrottleLimits,
): Promise<Reservation> {
  try {
    const hits = [addressHit(who.ip, limits)];
    if (who.email !== null) hits.push(emailHit(who.email, limits));
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
