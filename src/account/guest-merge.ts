import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { nowIso, readBool } from '../db/values.js';
import { AppError } from '../errors.js';
import { storedBytes } from '../files/store.js';
import { forgetUser } from '../limits/service.js';
import * as store from './guest-merge-store.js';

// A guest who logs in to an existing account chooses what becomes of the guest's work (issue 27
// item 7): added to the account, or discarded. Either way the guest account ends, in the login's
// own transaction, so the work is never in two places nor in none.
//
// The merge rule (nothing of either side is overwritten or lost):
// - workbook: the guest's live run becomes the account's live run when the account's has no
//   answers (as one more revision of it); otherwise it is added as a past run, archived now.
//   The guest's past runs become the account's past runs.
// - chat (with its coach metrics), files, résumés (with their feedback) and the guest's own
//   jobs (with their history; the account may then hold more than the per-user cap) move to the account.
// - job matches move; for a role both have, the account's row stays, taking the guest's status
//   and notes where it has none (notes both wrote are joined), with the guest's history and the
//   résumés made for it.
// - the account's storage quota holds: when both sides' files together exceed it, nothing
//   changes and the login answers 409 `merge_over_quota` (discard, or delete files as the guest).

export type GuestWorkChoice = 'merge' | 'discard';
export type GuestWork = Awaited<ReturnType<typeof store.countWork>>;

export const hasWork = (work: GuestWork): boolean => Object.values(work).some((n) => n > 0);

/** What the guest has made, or undefined when the user is not (or no longer) a guest. */
export async function guestWork(db: Kysely<DB>, guestId: number): Promise<GuestWork | undefined> {
  const guest = await db.selectFrom('users').select('id').where('id', '=', guestId).where('email', 'is', null).executeTakeFirst();
  return guest ? store.countWork(db, guestId) : undefined;
}

export const choiceRequired = (work: GuestWork) =>
  new AppError(409, 'guest_work_choice_required', "Choose whether to add this guest's work to your account or to discard it.", {
    guestWork: work,
  });

const overQuota = (maxBytes: number) =>
  new AppError(
    409,
    'merge_over_quota',
    `The guest's files and your account's files together exceed ${maxBytes / 1024 / 1024} MB: delete some of the guest's files, or discard the guest's work.`,
  );

/**
 * Adds the guest's work to the account or discards it, then ends the guest (its sessions go
 * with it). Run inside the login's transaction. Undefined when the guest was already gone
 * (a second submit of the same login): there was nothing left to do.
 */
export async function settleGuestWork(
  trx: Kysely<DB>,
  input: { guestId: number; accountId: number; choice: GuestWorkChoice; maxStorageBytes: number },
): Promise<'merged' | 'discarded' | undefined> {
  const { guestId, accountId } = input;
  // The account first, as an upload does, then the guest: every path locks in that order.
  await store.lockAccount(trx, accountId);
  if (!(await store.lockGuest(trx, guestId))) return undefined;
  if (input.choice === 'merge') {
    if ((await storedBytes(trx, accountId)) + (await storedBytes(trx, guestId)) > input.maxStorageBytes) {
      throw overQuota(input.maxStorageBytes);
    }
    const now = nowIso();
    await mergeRuns(trx, guestId, accountId, now);
    await store.moveOwnedRows(trx, guestId, accountId);
    await mergeJobMatches(trx, guestId, accountId, now);
  }
  await forgetUser(trx, guestId);
  await store.deleteUser(trx, guestId);
  return input.choice === 'merge' ? 'merged' : 'discarded';
}

async function mergeRuns(trx: Kysely<DB>, guestId: number, accountId: number, now: string): Promise<void> {
  const accountLive = (await store.runsOf(trx, accountId)).find((run) => run.archived_at === null);
  for (const run of await store.runsOf(trx, guestId)) {
    if (run.archived_at !== null) await store.moveRun(trx, run.id, accountId, run.archived_at);
    else if (run.answers === '{}') continue; // an empty live run: nothing to keep
    else if (!accountLive) await store.moveRun(trx, run.id, accountId, null);
    else if (accountLive.answers === '{}') {
      await store.takeOverRun(trx, accountLive.id, { answers: run.answers, current_step: run.current_step, completed_at: run.completed_at, now });
      await store.deleteRun(trx, run.id);
    } else await store.moveRun(trx, run.id, accountId, now);
  }
}

function joinNotes(account: string | null, guest: string | null): string | null {
  if (!account) return guest;
  if (!guest || guest === account) return account;
  return `${account}\n\n${guest}`;
}

async function mergeJobMatches(trx: Kysely<DB>, guestId: number, accountId: number, now: string): Promise<void> {
  const accountMatches = new Map((await store.jobMatchesOf(trx, accountId)).map((match) => [match.role_id, match]));
  for (const match of await store.jobMatchesOf(trx, guestId)) {
    const existing = accountMatches.get(match.role_id);
    if (!existing) {
      await store.moveJobMatch(trx, match.id, accountId);
      continue;
    }
    await store.foldJobMatch(trx, match.id, existing.id, {
      status: existing.status ?? match.status,
      notes: joinNotes(existing.notes, match.notes),
      current: readBool(existing.current) || readBool(match.current),
      now,
    });
  }
}
