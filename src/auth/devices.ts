import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { nowIso } from '../db/values.js';
import type { KnownDevice } from './login-throttle.js';
import { generateSessionToken, hashSessionToken } from './sessions.js';
import * as store from './store.js';

// A browser that has logged in to an account before is "known" to it: a right password from
// there must get in however many wrong ones strangers sent from elsewhere (issue 27 item 9).
// The browser keeps a random token in an HttpOnly cookie (one per browser, whoever logs in);
// the server keeps its SHA-256 per account that logged in with it. The token says nothing
// about the person and opens nothing by itself: it only changes which failure budget a login
// draws on (login-throttle.ts), so it stays after log out.

export const DEVICE_COOKIE = 'mosaic_device';
/** A browser not used to log in to an account for this long is forgotten by that account. */
export const DEVICE_DAYS = 365;

/** The cookie's token when it has the shape this server issues (43 base64url characters). */
export function deviceToken(cookie: string | undefined): string | undefined {
  return cookie && /^[A-Za-z0-9_-]{43}$/.test(cookie) ? cookie : undefined;
}

/** The device token to keep: the browser's own, or a new one for a browser without. */
export const deviceTokenFor = (cookie: string | undefined): string => deviceToken(cookie) ?? generateSessionToken();

/** This browser, when it has logged in to the user before. */
export async function knownDevice(db: Kysely<DB>, userId: number, token: string | undefined): Promise<KnownDevice | undefined> {
  if (token === undefined) return undefined;
  const tokenHash = hashSessionToken(token);
  return (await store.hasLoginDevice(db, userId, tokenHash)) ? { userId, tokenHash } : undefined;
}

/** An account remembers at most this many browsers (the most recently used). */
export const DEVICES_PER_USER = 20;

/**
 * Records (or refreshes) that this browser logged in to the user; part of the login's
 * transaction. A new token (a client that keeps no cookies gets one at every login) also trims
 * the account's list, so such clients cannot grow it without bound.
 */
export async function rememberDevice(db: Kysely<DB>, userId: number, token: string, options: { isNew: boolean; now?: string }): Promise<void> {
  await store.upsertLoginDevice(db, userId, hashSessionToken(token), options.now ?? nowIso());
  if (options.isNew) await store.trimLoginDevices(db, userId, DEVICES_PER_USER);
}

/** Forgets browsers that have not logged in for DEVICE_DAYS. */
export function purgeOldDevices(db: Kysely<DB>, now = new Date()): Promise<number> {
  return store.deleteLoginDevicesBefore(db, nowIso(new Date(now.getTime() - DEVICE_DAYS * 86_400_000)));
}
