import type { Kysely } from 'kysely';
import { forgetEmailFailures, type ThrottleLimits } from '../auth/login-throttle.js';
import type { PasswordHasher } from '../auth/passwords.js';
import { checkPassword } from '../auth/service.js';
import { forgetUser } from '../limits/service.js';
import type { DB } from '../db/schema.js';
import { unauthenticated } from '../errors.js';
import * as store from './store.js';

/**
 * Deletes the account and everything it owns in one transaction. A registered account must
 * confirm with its password; a guest has none, and holding the guest's session is all the
 * proof of ownership there is, so a guest deletes without one.
 */
export async function deleteAccount(
  db: Kysely<DB>,
  passwords: PasswordHasher,
  userId: number,
  confirmation: { password: string | undefined; ip: string },
  limits: ThrottleLimits,
): Promise<void> {
  const account = await store.findAccount(db, userId);
  if (!account) throw unauthenticated();
  if (account.password_hash !== null) await checkPassword(db, passwords, account, confirmation.password, confirmation.ip, limits);
  await db.transaction().execute(async (trx) => {
    // Counters naming the person (their email, their id) go with the account.
    if (account.email !== null) {
      await forgetEmailFailures(trx, account.email, limits);
      await store.deleteOldLoginFailures(trx, account.email);
    }
    await forgetUser(trx, userId);
    await store.deleteUser(trx, userId);
  });
}
