import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';

// The user columns this capability owns: whether the address is confirmed, and the address
// itself once a change is confirmed. Passwords are set only through auth/store.ts.

/** Marks the address confirmed, if it is still the account's address; false otherwise. */
export async function markVerified(db: Kysely<DB>, userId: number, email: string, now: string): Promise<boolean> {
  const result = await db
    .updateTable('users')
    .set({ email_verified_at: now })
    .where('id', '=', userId)
    .where('email', '=', email)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Gives a registered account its confirmed new address; throws a unique violation when the address is taken. */
export async function changeEmail(db: Kysely<DB>, userId: number, from: string, to: string, now: string): Promise<boolean> {
  const result = await db
    .updateTable('users')
    .set({ email: to, email_verified_at: now, updated_at: now })
    .where('id', '=', userId)
    .where('email', '=', from)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
