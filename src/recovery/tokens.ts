import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { insertAccountToken, type TokenPurpose } from '../auth/account-tokens.js';
import { hashSessionToken } from '../auth/sessions.js';
import type { DB } from '../db/schema.js';
import { AppError } from '../errors.js';
import { LimitReached, reserve, type Rule } from '../limits/service.js';

/** A mailed token: 256 bits from the CSPRNG, base64url (43 characters). */
export const TOKEN_PATTERN = '^[A-Za-z0-9_-]{43}$';

/** SHA-256 (hex), as sessions store theirs: only this is kept. */
export const hashToken = hashSessionToken;

/** Stores a new token's hash and returns the token, which goes only into the mail (or the operator's terminal). */
export async function issueToken(
  trx: Kysely<DB>,
  user: { id: number; email: string },
  purpose: TokenPurpose,
  now: string,
  expiresAt: string,
): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  await insertAccountToken(trx, { user_id: user.id, purpose, token_hash: hashToken(token), email: user.email, created_at: now, expires_at: expiresAt });
  return token;
}

/** One answer for every token that cannot be used: unknown, used, expired, superseded. */
export const invalidToken = () =>
  new AppError(400, 'invalid_token', 'This link is no longer valid: it was used, replaced by a newer one, or has expired. Ask for a new one.');

const HOUR_MS = 3_600_000;

/**
 * Mails anyone can make Mosaic send to one address (resets, new-address confirmations,
 * verification resends), per hour: enough for a person who asks again, too few to flood a
 * mailbox.
 */
export const MAILS_TO_ONE_ADDRESS: Rule = { name: 'mails-to', max: 5, windowMs: HOUR_MS };

/** Counts one mail to `email`; false when the address has had its share this hour. */
export async function mayMail(trx: Kysely<DB>, email: string): Promise<boolean> {
  try {
    await reserve(trx, [{ rule: MAILS_TO_ONE_ADDRESS, subject: email }]);
    return true;
  } catch (error) {
    if (error instanceof LimitReached) return false;
    throw error;
  }
}
