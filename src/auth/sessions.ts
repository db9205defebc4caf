import crypto, { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { addDays, nowIso } from '../db/values.js';
import * as store from './store.js';

export const SESSION_COOKIE = 'mosaic_session';
/** However active a session is, it ends this long after login. */
export const SESSION_ABSOLUTE_DAYS = 90;
/** A sliding expiry is pushed forward at most this often, so most requests only read. */
const REFRESH_INTERVAL_MS = 86_400_000;

export interface SessionUser {
  sessionId: number;
  userId: number;
  email: string | null;
  /** When the email was confirmed through a mailed link; null until then. */
  emailVerifiedAt: string | null;
  userCreatedAt: string;
  expiresAt: string;
  /** True when this lookup moved the expiry forward (the cookie should be re-sent). */
  refreshed: boolean;
}

export interface SessionOptions {
  ttlDays: number;
  now?: Date;
}

export interface NewSessionOptions extends SessionOptions {
  userAgent?: string | undefined;
  ip?: string | undefined;
  /** Sessions the user may keep: a new one beyond it ends the oldest (MAX_SESSIONS_PER_USER). */
  maxSessions?: number | undefined;
}

/** 32 random bytes from the CSPRNG, base64url: the only copy is the user's cookie. */
export function generateSessionToken(): string {
  return randomBytes(32).toString('base64url');
}

// Every authenticated request hashes its token. `crypto.hash` (Node ≥ 20.12) does it in one
// call, ~0.25 µs against ~0.8 µs for a Hash object; `engines` allows older 20.x, which keep that.
const oneShotHash = (crypto as { hash?: (algorithm: string, data: string, encoding: 'hex') => string }).hash;

export function hashSessionToken(token: string): string {
  return oneShotHash ? oneShotHash('sha256', token, 'hex') : createHash('sha256').update(token).digest('hex');
}

function slidingExpiry(createdAt: string, now: string, ttlDays: number): string {
  const sliding = addDays(now, ttlDays);
  const absolute = addDays(createdAt, SESSION_ABSOLUTE_DAYS);
  return sliding < absolute ? sliding : absolute;
}

export async function createSession(
  db: Kysely<DB>,
  userId: number,
  options: NewSessionOptions,
): Promise<{ token: string; expiresAt: string }> {
  const now = nowIso(options.now);
  const token = generateSessionToken();
  const expiresAt = slidingExpiry(now, now, options.ttlDays);
  await store.insertSession(db, {
    user_id: userId,
    token_hash: hashSessionToken(token),
    created_at: now,
    expires_at: expiresAt,
    refreshed_at: now,
    user_agent: options.userAgent?.slice(0, 512) ?? null,
    ip: options.ip ?? null,
  });
  // Every login adds a row kept for weeks: without a cap, a script logging in all day grows
  // the table without bound. The caller's transaction makes the insert and the trim one change.
  if (options.maxSessions !== undefined) await store.endOldestSessions(db, userId, options.maxSessions);
  return { token, expiresAt };
}

/** The session's user as the lookup found it, before any refresh. */
function sessionUser(row: store.SessionLookup): SessionUser {
  return {
    sessionId: row.sessionId,
    userId: row.userId,
    email: row.email,
    emailVerifiedAt: row.emailVerifiedAt,
    userCreatedAt: row.userCreatedAt,
    expiresAt: row.expiresAt,
    refreshed: false,
  };
}

/**
 * What a found session needs at `now`: deleting (it expired), its expiry pushed forward (the
 * last push is REFRESH_INTERVAL_MS old), or nothing. Only the row's refresh time is parsed:
 * parsing now's text as well cost every authenticated request ~2,600 more instructions
 * (callgrind).
 */
function sessionNeeds(row: store.SessionLookup, now: string, options: SessionOptions): 'delete' | 'refresh' | 'nothing' {
  if (row.expiresAt <= now) return 'delete';
  const refreshDue = (options.now?.getTime() ?? Date.now()) - Date.parse(row.refreshedAt) >= REFRESH_INTERVAL_MS;
  return refreshDue ? 'refresh' : 'nothing';
}

/**
 * The user behind a session token, or null when the token is unknown or expired (an expired
 * row is deleted on sight). Pushes the expiry forward when the last push is a day old.
 */
export async function validateSessionToken(
  db: Kysely<DB>,
  token: string,
  options: SessionOptions,
): Promise<SessionUser | null> {
  const row = await store.findSessionByTokenHash(db, hashSessionToken(token));
  if (!row) return null;
  const now = nowIso(options.now);
  const needs = sessionNeeds(row, now, options);
  if (needs === 'delete') {
    await store.deleteSessionById(db, row.sessionId);
    return null;
  }
  const user = sessionUser(row);
  if (needs === 'refresh') {
    user.expiresAt = slidingExpiry(row.sessionCreatedAt, now, options.ttlDays);
    user.refreshed = true;
    await store.extendSession(db, row.sessionId, { expiresAt: user.expiresAt, refreshedAt: now });
    await store.touchUser(db, row.userId, now);
  }
  return user;
}

/**
 * `validateSessionToken` answered at once, for the common case of a live session whose
 * expiry needs no push and a database that can read immediately (SQLite's connection free).
 * Undefined when it cannot answer so: the read would wait, or the session needs a write (it
 * expired, or its expiry is due to slide); the caller then awaits `validateSessionToken`.
 */
export function validateSessionTokenNow(db: Kysely<DB>, token: string, options: SessionOptions): SessionUser | null | undefined {
  const row = store.findSessionByTokenHashNow(db, hashSessionToken(token));
  if (!row) return row;
  return sessionNeeds(row, nowIso(options.now), options) === 'nothing' ? sessionUser(row) : undefined;
}

export function deleteSession(db: Kysely<DB>, sessionId: number): Promise<void> {
  return store.deleteSessionById(db, sessionId);
}

/** Ends every session of a user, or every one but `exceptSessionId`. */
export function revokeUserSessions(db: Kysely<DB>, userId: number, exceptSessionId?: number): Promise<number> {
  return store.deleteUserSessions(db, userId, exceptSessionId);
}

export function purgeExpiredSessions(db: Kysely<DB>, now = new Date()): Promise<number> {
  return store.deleteExpiredSessions(db, nowIso(now));
}
