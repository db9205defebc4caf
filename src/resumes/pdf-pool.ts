import type { Piscina } from 'piscina';
import { AppError } from '../errors.js';
import { workerModule } from '../worker-module.js';
import type { PdfTask } from './pdf-worker.js';

/** A 100,000-character résumé renders in about a second; past this something is wrong. */
const PDF_TIMEOUT_MS = 15_000;
/** PDFs waiting for the thread, all users together; more get 503 with Retry-After. */
const MAX_WAITING = 16;
const RETRY_AFTER_SECONDS = 5;

/**
 * Renders résumé PDFs in one worker thread, so laying out and compressing a long one never
 * holds the event loop. The thread starts on the first PDF and ends after a minute idle.
 */
export class PdfPool {
  private pool: Piscina | undefined;

  async render(task: PdfTask): Promise<Buffer> {
    const pool = await this.threadPool();
    if (pool.queueSize >= MAX_WAITING) {
      throw new AppError(503, 'pdf_busy', 'Many PDFs are being made right now; try again in a few seconds.', undefined, {
        'retry-after': String(RETRY_AFTER_SECONDS),
      });
    }
    const bytes = (await pool.run(task, { signal: AbortSignal.timeout(PDF_TIMEOUT_MS) })) as Uint8Array;
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  async close(): Promise<void> {
    await this.pool?.destroy();
    this.pool = undefined;
  }

  private async threadPool(): Promise<Piscina> {
    const { Piscina } = await import('piscina');
    this.pool ??= new Piscina({ ...workerModule(import.meta.url, 'pdf-worker'), maxThreads: 1, minThreads: 0, idleTimeout: 60_000 });
    return this.pool;
  }
}
