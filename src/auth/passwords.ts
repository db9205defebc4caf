import type { Piscina } from 'piscina';
import type { PasswordWorkLimits } from '../config.js';
import { AppError } from '../errors.js';
import { workerModule } from '../worker-module.js';
import type { PasswordTask } from './argon2.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Admits every Argon2id hash and verification; one per app, decorated by the server. */
    passwords: PasswordHasher;
  }
}

export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 1024;

// Password threads run at this much lower priority than the event loop: a login storm then
// takes the CPU the other requests leave, instead of a share of it from under them (measured
// in ARCHITECTURE.md, login storm). Not so low that a busy server never checks a password:
// at +10 a hashing thread still gets ~10 % of a core the event loop also wants.
const PASSWORD_THREAD_NICE = 10;
// Each thread holds the next task besides the running one, so it starts it without waiting
// for the event loop to hand it over (busy, at that moment, with the login that just ended).
const TASKS_PER_THREAD = 2;

/**
 * Argon2id on `threads` worker threads of their own, at lower CPU priority, loaded with the
 * first password (an idle server has answered no login yet: see ARCHITECTURE.md, idle memory)
 * and gone after a minute without one. Not libuv's pool: its threads cannot be given a
 * priority, and a hash there queued file system and WebCrypto work behind it.
 */
class PasswordThreads {
  private pool: Piscina | undefined;

  constructor(private readonly threads: number) {}

  async run<T extends string | boolean>(task: PasswordTask): Promise<T> {
    return (await this.threadPool()).run(task) as Promise<T>;
  }

  private async threadPool(): Promise<Piscina> {
    const { Piscina } = await import('piscina');
    this.pool ??= new Piscina({
      ...workerModule(import.meta.url, 'argon2'),
      maxThreads: this.threads,
      minThreads: 0,
      idleTimeout: 60_000,
      niceIncrement: PASSWORD_THREAD_NICE,
      concurrentTasksPerWorker: TASKS_PER_THREAD,
    });
    return this.pool;
  }

  async close(): Promise<void> {
    const closing = this.pool;
    this.pool = undefined;
    await closing?.destroy();
  }
}

// A waiting verification is ~12 ms of CPU per running slot away; a second covers a full queue.
const RETRY_AFTER_SECONDS = 1;

/** 503 with Retry-After: the password was not checked, so a reserved check should be given back. */
export function passwordsBusy(): AppError {
  return new AppError(503, 'passwords_busy', 'Too many passwords are being checked right now; try again in a moment.', undefined, {
    'retry-after': String(RETRY_AFTER_SECONDS),
  });
}

export function isPasswordsBusy(error: unknown): boolean {
  return error instanceof AppError && error.code === 'passwords_busy';
}

/**
 * At most `concurrency` operations run at once and at most `queueMax` wait, in arrival order;
 * an operation past both is refused at once (`refuse()` is thrown), never stored.
 */
export class AdmissionQueue {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    private readonly limits: PasswordWorkLimits,
    private readonly refuse: () => Error,
  ) {}

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.running < this.limits.concurrency) this.running++;
    else if (this.waiting.length < this.limits.queueMax) {
      // The slot is handed over by the operation that frees it, so `running` never dips.
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else throw this.refuse();
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }

  /** Operations running and waiting. */
  stats(): { running: number; queued: number } {
    return { running: this.running, queued: this.waiting.length };
  }
}

/**
 * Every hash and verification of the app passes here. Each holds 19 MiB and ~10 ms of a core;
 * without a bound a login flood queued without limit in memory, each request in it waiting
 * longer than the one before. Past the queue the answer is 503 `passwords_busy` with
 * Retry-After.
 */
export class PasswordHasher {
  private readonly queue: AdmissionQueue;
  private readonly threads: PasswordThreads;
  private decoyHash: Promise<string> | undefined;

  constructor(limits: PasswordWorkLimits) {
    this.queue = new AdmissionQueue({ ...limits, concurrency: limits.concurrency * TASKS_PER_THREAD }, passwordsBusy);
    this.threads = new PasswordThreads(limits.concurrency);
  }

  hash(password: string): Promise<string> {
    return this.queue.run(() => this.threads.run<string>({ op: 'hash', password }));
  }

  /** False for a wrong password (or an unreadable stored hash); a thread that fails throws. */
  verify(passwordHash: string, password: string): Promise<boolean> {
    return this.queue.run(() => this.threads.run<boolean>({ op: 'verify', passwordHash, password }));
  }

  /**
   * Spends the same work as a real verification, through the same queue, for logins whose
   * email is unknown, so the answer time does not tell an attacker which emails have accounts.
   */
  async verifyAgainstDecoy(password: string): Promise<false> {
    // The decoy's own hash is work too, and takes the queue; a refusal is not kept for next time.
    this.decoyHash ??= this.hash('decoy password never matches anything').catch((error: unknown) => {
      this.decoyHash = undefined;
      throw error;
    });
    await this.verify(await this.decoyHash, password);
    return false;
  }

  stats(): { running: number; queued: number } {
    return this.queue.stats();
  }

  /** Stops the password threads (server shutdown). */
  close(): Promise<void> {
    return this.threads.close();
  }
}
