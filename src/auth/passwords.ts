import type { PasswordWorkLimits } from '../config.js';
import { AppError } from '../errors.js';

// The native Argon2 addon is loaded on the first hash or verification, not at start: an idle
// server has answered no login yet (see ARCHITECTURE.md, idle memory).
let argon2: Promise<typeof import('@node-rs/argon2')> | undefined;
const loadArgon2 = () => (argon2 ??= import('@node-rs/argon2'));

// OWASP Password Storage Cheat Sheet: Argon2id, m=19 MiB, t=2, p=1.
const ARGON2ID = 2; // Algorithm.Argon2id (a const enum, which isolated modules cannot import)
const OPTIONS = { algorithm: ARGON2ID, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 1024;

/** One Argon2id hash, on libuv's thread pool, without admission (the bench's ceiling uses it). */
export async function hashPassword(password: string): Promise<string> {
  return (await loadArgon2()).hash(password, OPTIONS);
}

/** One Argon2id verification, on libuv's thread pool, without admission. */
export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  // Loaded outside the try: a missing addon must fail loudly, not read as a wrong password.
  const { verify } = await loadArgon2();
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
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
 * Every hash and verification of the app passes here. Each holds 19 MiB and ~12 ms of a core;
 * without a bound a login flood queued without limit in libuv's pool (ahead of file system
 * and WebCrypto work) and in memory, each request in it waiting longer than the one before.
 * Past the queue the answer is 503 `passwords_busy` with Retry-After.
 */
export class PasswordHasher {
  private readonly queue: AdmissionQueue;
  private decoyHash: Promise<string> | undefined;

  constructor(limits: PasswordWorkLimits) {
    this.queue = new AdmissionQueue(limits, passwordsBusy);
  }

  hash(password: string): Promise<string> {
    return this.queue.run(() => hashPassword(password));
  }

  verify(passwordHash: string, password: string): Promise<boolean> {
    return this.queue.run(() => verifyPassword(passwordHash, password));
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
}
