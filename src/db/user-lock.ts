import type { Kysely } from 'kysely';
import { isPostgres } from './migrations/columns.js';
import type { DB } from './schema.js';

/**
 * Takes a key-share lock on the person's `users` row, first thing in a transaction that changes
 * several of their rows. Deleting an account locks that row and then the rows its cascade
 * deletes; a transaction that first locked one of those rows (an update) and then needed the
 * user's row (the foreign-key check of an insert) waited for the deletion while the deletion
 * waited for it: PostgreSQL's deadlock (40P01), a 500 to one of them. Taken first, the two
 * always meet in the same order. Writers that only insert need not: their first lock is this one.
 * SQLite has one writer at a time: nothing to do.
 */
export async function lockUserFirst(trx: Kysely<DB>, userId: number): Promise<void> {
  if (!isPostgres(trx)) return;
  await trx.selectFrom('users').select('id').where('id', '=', userId).forKeyShare().execute();
}
