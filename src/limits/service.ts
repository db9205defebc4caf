import type { Kysely } from 'kysely';
import type { Config } from '../config.js';
import type { DB } from '../db/schema.js';
import { AppError } from '../errors.js';
import * as store from './store.js';
import { addressKey } from '../http/client-address.js';

// Limits live in the database (the rate_limits table), not in memory, so they hold across
// restarts and across every instance sharing the database.

/** A limit: at most `max` hits per bucket in a window of `windowMs` starting at the first hit. */
export interface Rule extends store.Window {
  /** Names the bucket family, e.g. `uploads`; the subject completes the bucket's key. */
  name: string;
}

/** One rule applied to one subject (a user id or a client address). */
export interface Hit {
  rule: Rule;
  subject: string;
}

const bucketOf = (hit: Hit) => `${hit.rule.name}:${hit.subject}`;

/** Whole seconds until the window ends, at least 1 (what `Retry-After` says). */
export function secondsUntil(iso: string | undefined, now: Date): number {
  if (!iso) return 1;
  return Math.max(1, Math.ceil((Date.parse(iso) - now.getTime()) / 1000));
}

/** 429 with `Retry-After`, in the error contract. */
export function tooMany(code: string, message: string, retryAfter: number): AppError {
  return new AppError(429, code, message, { retryAfter }, { 'retry-after': String(retryAfter) });
}

export class LimitReached extends Error {
  override name = 'LimitReached';
  constructor(readonly retryAfter: number) {
    super(`limit reached; retry after ${retryAfter} s`);
  }
}

/** Hits counted by `reserve`, which can be given back when the attempt should not count. */
export interface Reservation {
  /**
   * Gives the hits back. Pass a transaction to commit this with the caller's other writes: on
   * SQLite with `synchronous=FULL` every commit is an fsync, during which the event loop waits.
   */
  release(trx?: Kysely<DB>): Promise<void>;
}

/**
 * Counts one hit in every bucket, or in none: all in one transaction, buckets in a fixed order
 * so two requests never wait on each other's rows in a cycle. Throws LimitReached (with the
 * wait until the first full bucket's window ends) when any bucket is full.
 */
export async function reserve(db: Kysely<DB>, hits: Hit[]): Promise<Reservation> {
  const buckets = hits.map((hit) => ({ key: bucketOf(hit), rule: hit.rule })).sort((a, b) => (a.key < b.key ? -1 : 1));
  const count = async (trx: Kysely<DB>) => {
    // Read once the transaction holds its connection: a request may wait for it under load.
    const now = new Date();
    const ends: { key: string; end: string }[] = [];
    for (const bucket of buckets) {
      const end = await store.countHit(trx, bucket.key, bucket.rule, now);
      if (end === undefined) {
        // Measured after the row lock was granted, which may have taken a while.
        const wait = secondsUntil(await store.windowEnd(trx, bucket.key), new Date());
        throw new LimitReached(Math.min(wait, Math.ceil(bucket.rule.windowMs / 1000)));
      }
      ends.push({ key: bucket.key, end });
    }
    return ends;
  };
  // One bucket is one atomic statement: no transaction (a commit less on SQLite's FULL sync).
  const counted = buckets.length === 1 ? await count(db) : await db.transaction().execute(count);
  return {
    release: async (trx) => {
      // One statement per bucket, in the same sorted order as the counting: a single update of
      // both rows would lock them in whatever order PostgreSQL finds them, and could deadlock
      // with a reservation holding one of them.
      const uncount = async (through: Kysely<DB>) => {
        for (const { key, end } of counted) await store.uncountHit(through, key, end);
      };
      if (trx) await uncount(trx);
      else if (counted.length === 1) await uncount(db);
      else await db.transaction().execute(uncount);
    },
  };
}

/** Counts one creation for the subject, or throws 429 `rate_limited` with `Retry-After`. */
export async function consume(db: Kysely<DB>, rule: Rule, subject: string): Promise<void> {
  try {
    await reserve(db, [{ rule, subject }]);
  } catch (error) {
    if (!(error instanceof LimitReached)) throw error;
    throw tooMany('rate_limited', `Too many requests of this kind (${rule.name}); try again later.`, error.retryAfter);
  }
}

const HOUR_MS = 3_600_000;

/** A client address's subject: IPv6 by its /64 (addressKey), so one network is one subject. */
export const addressSubject = (ip: string) => `ip:${addressKey(ip)}`;
export const userSubject = (userId: number) => `user:${userId}`;

const PER_ADDRESS = { guests: 'guests', registrations: 'registrations', passwordResets: 'password-resets' } as const;
const PER_USER = {
  chatMessages: 'chat-messages',
  uploads: 'uploads',
  resumes: 'resumes',
  feedback: 'feedback',
  workbookRestarts: 'workbook-restarts',
  legacyClaims: 'legacy-claims',
} as const;
export type AddressKind = keyof typeof PER_ADDRESS;
export type UserKind = keyof typeof PER_USER;

/** The creation limits, from the configuration: per client address or per user, per hour. */
export function creationRule(config: Config, kind: AddressKind | UserKind): Rule {
  const names: Record<AddressKind | UserKind, string> = { ...PER_ADDRESS, ...PER_USER };
  const perHour: Record<AddressKind | UserKind, number> = {
    guests: config.rateLimits.guestsPerHour,
    registrations: config.rateLimits.registrationsPerHour,
    chatMessages: config.rateLimits.chatMessagesPerHour,
    uploads: config.rateLimits.uploadsPerHour,
    resumes: config.rateLimits.resumesPerHour,
    feedback: config.rateLimits.feedbackPerHour,
    workbookRestarts: config.rateLimits.workbookRestartsPerHour,
    legacyClaims: config.rateLimits.legacyClaimsPerHour,
    passwordResets: config.rateLimits.passwordResetsPerHour,
  };
  return { name: names[kind], max: perHour[kind], windowMs: HOUR_MS };
}

/** Deletes a user's counters with the account (they name its id). */
export function forgetUser(db: Kysely<DB>, userId: number): Promise<void> {
  return store.deleteBuckets(db, Object.values(PER_USER).map((name) => `${name}:${userSubject(userId)}`));
}

export function purgeEndedWindows(db: Kysely<DB>, now = new Date()): Promise<number> {
  return store.deleteEndedWindows(db, now.toISOString());
}

export function forgetBuckets(db: Kysely<DB>, hits: Hit[]): Promise<void> {
  return store.deleteBuckets(db, hits.map(bucketOf));
}
