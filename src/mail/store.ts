import { sql, type Kysely, type Selectable } from 'kysely';
import type { DB, MailOutboxTable } from '../db/schema.js';

export type OutboxRow = Selectable<MailOutboxTable>;

export interface NewMail {
  kind: string;
  recipient: string;
  subject: string;
  text: string;
  html: string;
  requestId: string | null;
  now: string;
  giveUpAt: string;
}

export async function insertMail(db: Kysely<DB>, mail: NewMail): Promise<void> {
  await db
    .insertInto('mail_outbox')
    .values({
      kind: mail.kind,
      recipient: mail.recipient,
      subject: mail.subject,
      text_body: mail.text,
      html_body: mail.html,
      request_id: mail.requestId,
      state: 'pending',
      attempts: 0,
      created_at: mail.now,
      next_attempt_at: mail.now,
      give_up_at: mail.giveUpAt,
      finished_at: null,
      last_error: null,
    })
    .execute();
}

/**
 * Takes up to `limit` due mails for this instance: one statement moves their due time to the
 * lease's end and counts the attempt, so no other instance finds them due until the lease
 * ends (it ends only if this instance dies mid-delivery). On PostgreSQL the candidates are
 * locked with SKIP LOCKED, so two instances claiming at once take different rows instead of
 * waiting on each other; SQLite has one writer, so the statement alone is enough.
 */
export async function claimDue(db: Kysely<DB>, now: string, leaseEnd: string, limit: number, postgres: boolean): Promise<OutboxRow[]> {
  let due = db
    .selectFrom('mail_outbox')
    .select('id')
    .where('state', '=', 'pending')
    .where('next_attempt_at', '<=', now)
    .orderBy('next_attempt_at')
    .limit(limit);
  if (postgres) due = due.forUpdate().skipLocked();
  return db
    .updateTable('mail_outbox')
    .set((eb) => ({ next_attempt_at: leaseEnd, attempts: eb('attempts', '+', sql.lit(1)) }))
    .where('id', 'in', due)
    .where('state', '=', 'pending')
    .where('next_attempt_at', '<=', now)
    .returningAll()
    .execute();
}

/**
 * Ends a delivery: sent or given up. The bodies hold the mail's link, so they are emptied.
 * Only the claim that made the attempt (same attempt count) may end it.
 */
export async function finishMail(
  db: Kysely<DB>,
  claim: { id: number; attempts: number },
  outcome: { state: 'sent' | 'failed'; now: string; error: string | null },
): Promise<boolean> {
  const result = await db
    .updateTable('mail_outbox')
    .set({ state: outcome.state, finished_at: outcome.now, text_body: '', html_body: '', last_error: outcome.error })
    .where('id', '=', claim.id)
    .where('attempts', '=', claim.attempts)
    .where('state', '=', 'pending')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** After a failed attempt: due again at `retryAt`. */
export async function scheduleRetry(db: Kysely<DB>, claim: { id: number; attempts: number }, retryAt: string, error: string): Promise<void> {
  await db
    .updateTable('mail_outbox')
    .set({ next_attempt_at: retryAt, last_error: error })
    .where('id', '=', claim.id)
    .where('attempts', '=', claim.attempts)
    .where('state', '=', 'pending')
    .execute();
}

/** Deletes sent and given-up mail finished before `before` (their bodies are long empty). */
export async function deleteFinishedMail(db: Kysely<DB>, before: string): Promise<number> {
  const result = await db.deleteFrom('mail_outbox').where('state', '<>', 'pending').where('finished_at', '<', before).executeTakeFirst();
  return Number(result.numDeletedRows);
}
