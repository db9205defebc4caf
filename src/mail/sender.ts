import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';
import type { MailConfig } from '../config.js';
import type { Backend } from '../db/connection.js';
import type { DB } from '../db/schema.js';
import { addSeconds, nowIso } from '../db/values.js';
import { publishMail } from '../metrics/events.js';
import { claimDue, finishMail, scheduleRetry, type OutboxRow } from './store.js';
import type { MailTransport } from './transport.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** This instance's mail sender, once ready; undefined without SMTP_URL. */
    mailSender: () => MailSender | undefined;
  }
}

/** Mails claimed at once; a bigger backlog is taken in further rounds. */
const BATCH = 10;
/** The longest wait between two attempts at one mail: a mail server back up is used within it. */
const MAX_RETRY_SECONDS = 300;

/**
 * Delivers the outbox: each instance runs one. It wakes when this instance queues mail and
 * every MAIL_POLL_SECONDS otherwise (mail queued by another instance, retries coming due),
 * claims due rows (store.claimDue), and sends them one by one. A failed attempt is retried
 * after a wait that doubles from MAIL_RETRY_FIRST_SECONDS up to five minutes, until the mail's
 * link has expired. An instance killed mid-delivery leaves its rows claimed until the lease
 * ends, then any instance takes them again: the lease is longer than the three SMTP timeouts
 * together, so in normal operation no mail is sent twice.
 */
export class MailSender {
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #again = false;
  #stopped = false;
  readonly #leaseSeconds: number;

  constructor(
    private readonly db: Kysely<DB>,
    private readonly backend: Backend,
    private readonly config: MailConfig,
    private readonly transport: MailTransport,
    private readonly log: FastifyBaseLogger,
  ) {
    this.#leaseSeconds = 3 * config.sendTimeoutSeconds + 30;
  }

  start(): void {
    this.#timer = setInterval(() => this.wake(), this.config.pollSeconds * 1000);
    this.#timer.unref();
    this.wake();
  }

  /** Runs a round now, or right after the one under way. */
  wake(): void {
    if (this.#stopped) return;
    if (this.#running) {
      this.#again = true;
      return;
    }
    this.#running = this.#rounds().finally(() => {
      this.#running = undefined;
    });
  }

  /** Resolves once no round is running (tests wait for delivery with it). */
  async idle(): Promise<void> {
    while (this.#running) await this.#running;
  }

  /** Stops the loop; a mail being handed over is finished first. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearInterval(this.#timer);
    await this.#running;
    this.transport.close();
  }

  async #rounds(): Promise<void> {
    do {
      this.#again = false;
      try {
        while (!this.#stopped && (await this.#round()) === BATCH);
      } catch (error) {
        // The database is away: the next poll tries again.
        this.log.warn({ err: error }, 'mail sender could not read the outbox; will retry');
      }
    } while (this.#again && !this.#stopped);
  }

  /** Claims and delivers one batch; returns how many were claimed. */
  async #round(): Promise<number> {
    const now = nowIso();
    const claimed = await claimDue(this.db, now, addSeconds(now, this.#leaseSeconds), BATCH, this.backend === 'postgres');
    for (const mail of claimed) await this.#deliver(mail);
    return claimed.length;
  }

  async #deliver(mail: OutboxRow): Promise<void> {
    const about = { mailId: mail.id, kind: mail.kind, requestId: mail.request_id, attempt: mail.attempts };
    try {
      await this.transport.send({ to: mail.recipient, subject: mail.subject, text: mail.text_body, html: mail.html_body });
    } catch (error) {
      await this.#failed(mail, about, error);
      return;
    }
    await finishMail(this.db, mail, { state: 'sent', now: nowIso(), error: null });
    publishMail({ kind: mail.kind, outcome: 'sent' });
    this.log.info(about, 'mail sent');
  }

  async #failed(mail: OutboxRow, about: Record<string, unknown>, error: unknown): Promise<void> {
    const message = (error instanceof Error ? error.message : String(error)).slice(0, 500);
    const wait = Math.min(this.config.retryFirstSeconds * 2 ** (mail.attempts - 1), MAX_RETRY_SECONDS);
    const retryAt = addSeconds(nowIso(), wait);
    if (retryAt > mail.give_up_at) {
      await finishMail(this.db, mail, { state: 'failed', now: nowIso(), error: message });
      publishMail({ kind: mail.kind, outcome: 'failed' });
      this.log.error({ ...about, error: message }, 'mail given up: its link has expired');
      return;
    }
    await scheduleRetry(this.db, mail, retryAt, message);
    publishMail({ kind: mail.kind, outcome: 'retry' });
    this.log.warn({ ...about, error: message, retryInSeconds: wait }, 'mail not sent; will retry');
  }
}
