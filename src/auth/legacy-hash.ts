import { createHash, timingSafeEqual } from 'node:crypto';
import type { PasswordHasher } from './passwords.js';

/**
 * The predecessor's password hash: `"<sha256 hex of (password + salt)>:<salt>"`, one unsalted
 * iteration, UTF-8. Imported accounts keep it in `users.password_hash` behind this prefix, so
 * the one column holds exactly one hash: the first successful login, a password change or a
 * reset writes an Argon2id hash over it, and the weak one is gone with no second place to clear.
 */
export const LEGACY_HASH_PREFIX = 'legacy-sha256$';

// The salt is 32 hex characters in every version seen; any salt without a colon is accepted,
// since refusing an odd but readable one would lock its owner out.
const LEGACY_HASH = /^([0-9a-fA-F]{64}):([^:\s]{1,256})$/;

/** The stored form of a legacy hash, or null when it cannot be parsed (the account then has no password). */
export function storedLegacyHash(legacyHash: string): string | null {
  return LEGACY_HASH.test(legacyHash) ? LEGACY_HASH_PREFIX + legacyHash : null;
}

export function isLegacyHash(stored: string): boolean {
  return stored.startsWith(LEGACY_HASH_PREFIX);
}

/** Constant-time check of a password against a stored legacy hash (the original compared with `==`). */
export function verifyLegacyHash(stored: string, password: string): boolean {
  const match = LEGACY_HASH.exec(stored.slice(LEGACY_HASH_PREFIX.length));
  if (!match) return false;
  const expected = Buffer.from(match[1]!.toLowerCase(), 'hex');
  const actual = createHash('sha256').update(password + match[2]!, 'utf8').digest();
  return timingSafeEqual(expected, actual);
}

/**
 * Verifies against whichever kind of hash is stored. A legacy check costs microseconds, so an
 * Argon2 verification of a decoy runs beside it: a wrong password for an imported account
 * takes as long as for any other account and answers the same.
 */
export async function verifyStoredPassword(passwords: PasswordHasher, stored: string, password: string): Promise<boolean> {
  if (!isLegacyHash(stored)) return passwords.verify(stored, password);
  await passwords.verifyAgainstDecoy(password);
  return verifyLegacyHash(stored, password);
}
