import os from 'node:os';
import type { Piscina } from 'piscina';
import type { ExtractionConfig } from '../config.js';
import { AppError } from '../errors.js';
import { workerModule } from '../worker-module.js';
import type { ArchiveLimits } from './archive.js';
import type { DocumentKind } from './detect.js';
import { extractText } from './extract.js';
import type { ExtractionTask } from './extract-worker.js';

export interface ExtractionLimits {
  /** Parsing one document can take seconds of CPU; past this (counted from the start of the work) it is kept without text. */
  timeoutMs: number;
  /** Documents of one user waiting or being parsed at once; more get 429. */
  perUser: number;
  /** Documents waiting (all users) for a thread; more get 503. */
  maxQueued: number;
  /** V8 heap of a worker thread: a document that needs more kills that worker, never the server. */
  workerHeapMb: number;
  archive: ArchiveLimits;
}

/** The pool's limits from the configuration (archive sizes in bytes). */
export function extractionLimits(config: ExtractionConfig): ExtractionLimits {
  const archive = { maxUncompressedBytes: config.archiveMaxUncompressedMb * 1024 * 1024, maxRatio: config.archiveMaxRatio };
  return { ...config, archive };
}

interface Job {
  userId: number;
  task: ExtractionTask;
  resolve(text: string | null): void;
  reject(error: unknown): void;
}

const RETRY_AFTER_SECONDS = 5;

function count(counts: Map<number, number>, key: number, change: number): void {
  const value = (counts.get(key) ?? 0) + change;
  if (value > 0) counts.set(key, value);
  else counts.delete(key);
}

/**
 * Document parsing (PDF, DOCX) in worker threads, shared fairly between users.
 *
 * Jobs wait in one queue per user; a free thread takes the oldest job of the user with the
 * fewest jobs running, and among those of the user served longest ago (round-robin), so one
 * person's slow PDFs never sit in front of another person's one. A job reaches the
 * thread pool only when a thread is free, so its timeout counts the parsing itself, never the
 * wait. Waiting is bounded twice: per user (429 `too_many_extractions`) and in all (503
 * `extraction_busy`); either way the upload is refused with Retry-After and nothing is
 * stored, rather than stored without text and forgotten.
 */
export class ExtractionPool {
  private pool: Piscina | undefined;
  private readonly threads = Math.max(1, os.availableParallelism() - 1);
  private readonly waiting = new Map<number, Job[]>();
  /** When each waiting user was last served (a counter), for round-robin between users. */
  private readonly lastServed = new Map<number, number>();
  private served = 0;
  /** Jobs waiting or running, per user. */
  private readonly perUser = new Map<number, number>();
  private readonly runningPerUser = new Map<number, number>();
  private queued = 0;
  private running = 0;

  constructor(readonly limits: ExtractionLimits) {}

  /** The document's text; plain text needs no thread. Throws 429/503 AppErrors when full. */
  extract(userId: number, kind: DocumentKind, bytes: Uint8Array): Promise<string | null> {
    if (kind !== 'pdf' && kind !== 'docx') return extractText(kind, bytes, this.limits.archive);
    if ((this.perUser.get(userId) ?? 0) >= this.limits.perUser) {
      throw new AppError(
        429,
        'too_many_extractions',
        `At most ${this.limits.perUser} of your documents are read at once; send this one again shortly.`,
        { limit: this.limits.perUser },
        { 'retry-after': String(RETRY_AFTER_SECONDS) },
      );
    }
    if (this.running >= this.threads && this.queued >= this.limits.maxQueued) {
      throw new AppError(503, 'extraction_busy', 'Too many documents are being read right now; send this one again shortly.', undefined, {
        'retry-after': String(RETRY_AFTER_SECONDS),
      });
    }
    count(this.perUser, userId, +1);
    return new Promise<string | null>((resolve, reject) => {
      const jobs = this.waiting.get(userId);
      const job = { userId, task: { kind, bytes, archive: this.limits.archive }, resolve, reject };
      if (jobs) jobs.push(job);
      else this.waiting.set(userId, [job]);
      this.queued++;
      this.dispatch();
    });
  }

  /** Jobs waiting and running, for tests and logs. */
  stats(): { queued: number; running: number } {
    return { queued: this.queued, running: this.running };
  }

  /** The waiting user with the fewest jobs running; on a tie, the one served longest ago. */
  private nextUser(): number | undefined {
    let chosen: number | undefined;
    let best: [number, number] = [Infinity, Infinity];
    for (const userId of this.waiting.keys()) {
      const rank: [number, number] = [this.runningPerUser.get(userId) ?? 0, this.lastServed.get(userId) ?? -1];
      if (rank[0] < best[0] || (rank[0] === best[0] && rank[1] < best[1])) [chosen, best] = [userId, rank];
    }
    return chosen;
  }

  private dispatch(): void {
    while (this.running < this.threads) {
      const userId = this.nextUser();
      if (userId === undefined) return;
      const jobs = this.waiting.get(userId)!;
      const job = jobs.shift()!;
      if (jobs.length === 0) this.waiting.delete(userId);
      this.lastServed.set(userId, this.served++);
      this.queued--;
      this.running++;
      count(this.runningPerUser, userId, +1);
      this.threadPool()
        // The clock starts now that a thread takes the job. The thread gets its own exact-size
        // copy, transferred, not cloned: a clone is serialized (one copy) and deserialized in
        // the thread (a second), and pdf.js, which takes ownership of its input, copied it a
        // third time. Transferred whole, pdf.js takes the copy as it is. The caller's bytes stay
        // intact for the database write, even when the thread is stopped at its timeout.
        .then((pool) => {
          const bytes = new Uint8Array(job.task.bytes.byteLength);
          bytes.set(job.task.bytes);
          return pool.run({ ...job.task, bytes }, { signal: AbortSignal.timeout(this.limits.timeoutMs), transferList: [bytes.buffer] });
        })
        .then(job.resolve, job.reject)
        .finally(() => {
          this.running--;
          count(this.runningPerUser, userId, -1);
          count(this.perUser, userId, -1);
          if (!this.perUser.has(userId)) this.lastServed.delete(userId);
          this.dispatch();
        });
    }
  }

  private async threadPool(): Promise<Piscina> {
    // piscina is loaded with the first document to parse, not at start (resident memory).
    const { Piscina } = await import('piscina');
    this.pool ??= new Piscina({
      ...workerModule(import.meta.url, 'extract-worker'),
      // Leave a core for the event loop; idle workers exit so they hold no memory. A worker
      // that dies (out of heap, or terminated at its timeout) is replaced by the next job.
      maxThreads: this.threads,
      minThreads: 0,
      idleTimeout: 30_000,
      resourceLimits: {
        maxOldGenerationSizeMb: this.limits.workerHeapMb,
        maxYoungGenerationSizeMb: Math.min(64, Math.max(8, Math.floor(this.limits.workerHeapMb / 8))),
      },
    });
    return this.pool;
  }

  /** Stops the workers (server shutdown). */
  async close(): Promise<void> {
    const closing = this.pool;
    this.pool = undefined;
    await closing?.destroy();
  }
}
