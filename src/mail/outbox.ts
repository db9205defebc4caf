import type { Kysely } from 'kysely';
import type { MailConfig } from '../config.js';
import type { DB } from '../db/schema.js';
import { addDays, nowIso } from '../db/values.js';
import { deleteFinishedMail, insertMail } from './store.js';
import { renderMail, type MailContent } from './templates.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Where services queue mail, in their own transaction; decorated by the server. */
    mail: Outbox;
  }
}

/** Sent and given-up mail is kept this long (for an operator's questions), then purged. */
const FINISHED_KEEP_DAYS = 30;

// A mail that carries no expiring link (a notice) is retried this long before it is given up.
const NOTICE_GIVE_UP_DAYS = 3;

/**
 * Where services put mail: into the `mail_outbox` table, in the transaction of the change the
 * mail is about, so the mail exists exactly when the change does (a crash after the commit
 * loses nothing; a rollback sends nothing). Without SMTP_URL nothing is written at all.
 */
export class Outbox {
  #wake: () => void = () => {};

  constructor(readonly config: MailConfig) {}

  /** Whether mail is sent at all (SMTP_URL is set). */
  get enabled(): boolean {
    return this.config.smtpUrl !== null;
  }

  /**
   * Writes the mail into the outbox through `trx`. `usefulUntil` is when its link expires:
   * past it, delivery is no longer attempted. Call `wake` after the commit.
   */
  async queue(
    trx: Kysely<DB>,
    to: string,
    content: MailContent,
    meta: { requestId: string | null; usefulUntil?: string },
  ): Promise<void> {
    if (!this.enabled) return;
    const now = nowIso();
    await insertMail(trx, {
      kind: content.kind,
      recipient: to,
      ...renderedFields(content),
      requestId: meta.requestId,
      now,
      giveUpAt: meta.usefulUntil ?? addDays(now, NOTICE_GIVE_UP_DAYS),
    });
  }

  /** Tells this instance's sender that mail was committed, so it goes out at once. */
  wake(): void {
    if (this.enabled) this.#wake();
  }

  /** The sender registers here (see sender.ts). */
  onWake(wake: () => void): void {
    this.#wake = wake;
  }

  link(path: string, token: string): string {
    return tokenLink(this.config, path, token);
  }
}

/**
 * A link to a page of the web app carrying a token. Its origin is PUBLIC_URL (or
 * http://localhost:PORT when unset), never the request's Host or X-Forwarded-Host, which
 * whoever sends the request chooses. The token goes in the fragment: a browser never sends
 * it to the server or to a proxy, so it cannot land in access logs; the page reads it there.
 */
export function tokenLink(config: Pick<MailConfig, 'publicUrl'>, path: string, token: string): string {
  return `${config.publicUrl}${path}#token=${token}`;
}

function renderedFields(content: MailContent) {
  const mail = renderMail(content);
  return { subject: mail.subject, text: mail.text, html: mail.html };
}

/** Deletes sent and given-up mail older than FINISHED_KEEP_DAYS (the purge). */
export function purgeFinishedMail(db: Kysely<DB>, now = new Date()): Promise<number> {
  return deleteFinishedMail(db, addDays(now.toISOString(), -FINISHED_KEEP_DAYS));
}
