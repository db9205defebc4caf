import type { Kysely, Selectable } from 'kysely';
import type { AccountTokensTable, DB } from '../db/schema.js';

// The `account_tokens` table: the mailed tokens of password resets, address verifications and
// address changes (src/recovery/), by their SHA-256 only. Here in auth because a password
// change must end the pending resets (service.ts).

export type AccountTokenRow = Selectable<AccountTokensTable>;
export type TokenPurpose = AccountTokensTable['purpose'];

export async function insertAccountToken(db: Kysely<DB>, token: Omit<AccountTokenRow, 'id'>): Promise<void> {
  await db.insertInto('account_tokens').values(token).execute();
}

/** Deletes a user's tokens of these purposes: a newer token, or a change, supersedes them. */
export async function deleteAccountTokens(db: Kysely<DB>, userId: number, purposes: TokenPurpose[]): Promise<void> {
  await db.deleteFrom('account_tokens').where('user_id', '=', userId).where('purpose', 'in', purposes).execute();
}

/** The token with this hash and purpose, if it has not expired. */
export function findLiveAccountToken(db: Kysely<DB>, tokenHash: string, purpose: TokenPurpose, now: string): Promise<AccountTokenRow | undefined> {
  return db
    .selectFrom('account_tokens')
    .selectAll()
    .where('token_hash', '=', tokenHash)
    .where('purpose', '=', purpose)
    .where('expires_at', '>', now)
    .executeTakeFirst();
}

/**
 * Uses the token up: deletes it and returns it, if it exists and has not expired. One
 * statement, so of two requests with the same token exactly one gets it.
 */
export function consumeAccountToken(db: Kysely<DB>, tokenHash: string, purpose: TokenPurpose, now: string): Promise<AccountTokenRow | undefined> {
  return db
    .deleteFrom('account_tokens')
    .where('token_hash', '=', tokenHash)
    .where('purpose', '=', purpose)
    .where('expires_at', '>', now)
    .returningAll()
    .executeTakeFirst();
}

export async function deleteExpiredAccountTokens(db: Kysely<DB>, now: string): Promise<number> {
  const result = await db.deleteFrom('account_tokens').where('expires_at', '<=', now).executeTakeFirst();
  return Number(result.numDeletedRows);
}
