import type { Kysely } from 'kysely';
import { emailSubject } from '../auth/login-throttle.js';
import { verifyPassword } from '../auth/passwords.js';
import type { DB } from '../db/schema.js';
import { AppError } from '../errors.js';
import * as store from './store.js';

export const unauthenticated = () => new AppError(401, 'unauthenticated', 'Log in to continue.');

/**
 * Deletes the account and everything it owns in one transaction. A registered account must
 * confirm with its password; a guest has none, and holding the guest's session is all the
 * proof of ownership there is, so a guest deletes without one.
 */
export async function deleteAccount(db: Kysely<DB>, userId: number, password: string | undefined): Promise<void> {
  const account = await store.findAccount(db, userId);
  if (!account) throw unauthenticated();
  if (account.password_hash !== null) {
    if (password === undefined || !(await verifyPassword(account.password_hash, password))) {
      throw new AppError(401, 'invalid_credentials', 'The password is wrong.');
    }
  }
  const subjects = account.email === null ? [] : [emailSubject(account.email)];
  await db.transaction().execute((trx) => store.deleteUser(trx, userId, subjects));
}
