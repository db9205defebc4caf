import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { nowIso } from '../db/values.js';

// Failed logins are rows in the database, not counters in memory, so the limit holds across
// restarts and across every instance behind a load balancer.

export interface ThrottleLimits {
  maxFailures: number;
  windowMinutes: number;
}

export const emailSubject = (email: string) => `email:${email}`;
export const addressSubject = (ip: string) => `ip:${ip}`;

/** Seconds until a login for these subjects may be tried again, or 0 when it may be tried now. */
export async function loginRetryAfter(
  db: Kysely<DB>,
  subjects: string[],
  limits: ThrottleLimits,
  now = new Date(),
): Promise<number> {
  const windowMs = limits.windowMinutes * 60_000;
  const since = nowIso(new Date(now.getTime() - windowMs));
  let wait = 0;
  for (const subject of subjects) {
    const failures = await db
      .selectFrom('login_failures')
      .select('failed_at')
      .where('subject', '=', subject)
      .where('failed_at', '>', since)
      .orderBy('failed_at', 'desc')
      .limit(limits.maxFailures)
      .execute();
    if (failures.length < limits.maxFailures) continue;
    // Blocked until the oldest of the last `maxFailures` failures leaves the window.
    const oldest = Date.parse(failures[failures.length - 1]!.failed_at);
    wait = Math.max(wait, Math.ceil((oldest + windowMs - now.getTime()) / 1000));
  }
  return wait;
}

export async function recordLoginFailure(db: Kysely<DB>, subjects: string[], now = new Date()): Promise<void> {
  const failedAt = nowIso(now);
  await db
    .insertInto('login_failures')
    .values(subjects.map((subject) => ({ subject, failed_at: failedAt })))
    .execute();
}

export async function clearLoginFailures(db: Kysely<DB>, subject: string): Promise<void> {
  await db.deleteFrom('login_failures').where('subject', '=', subject).execute();
}

export async function purgeLoginFailures(db: Kysely<DB>, limits: ThrottleLimits, now = new Date()): Promise<number> {
  const before = nowIso(new Date(now.getTime() - limits.windowMinutes * 60_000));
  const result = await db.deleteFrom('login_failures').where('failed_at', '<=', before).executeTakeFirst();
  return Number(result.numDeletedRows);
}
