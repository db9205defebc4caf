import os from 'node:os';
import type { Piscina } from 'piscina';
import type { DocumentKind } from './detect.js';
import { extractText } from './extract.js';

/** Parsing one PDF can take seconds of CPU; past this the upload is kept without text. */
const EXTRACTION_TIMEOUT_MS = 30_000;

let pool: Piscina | undefined;

// piscina is loaded with the first document to parse, not at start (resident memory).
async function extractionPool(): Promise<Piscina> {
  const { Piscina } = await import('piscina');
  // Under tsx (a checkout, the tests) the worker is the TypeScript source and needs tsx's
  // loader; from dist/ it is plain JavaScript.
  const fromSource = import.meta.url.endsWith('.ts');
  pool ??= new Piscina({
    filename: new URL(`./extract-worker.${fromSource ? 'ts' : 'js'}`, import.meta.url).href,
    ...(fromSource ? { execArgv: ['--import', 'tsx'] } : {}),
    // Leave a core for the event loop; idle workers exit so they hold no memory.
    maxThreads: Math.max(1, os.availableParallelism() - 1),
    minThreads: 0,
    idleTimeout: 30_000,
  });
  return pool;
}

/**
 * The document's text, extracted off the event loop: PDF and DOCX parsing are CPU-bound and
 * would otherwise stall every other request of the instance. Plain text needs no thread.
 */
export async function extractTextOffThread(kind: DocumentKind, bytes: Uint8Array): Promise<string | null> {
  if (kind !== 'pdf' && kind !== 'docx') return extractText(kind, bytes);
  return (await extractionPool()).run({ kind, bytes }, { signal: AbortSignal.timeout(EXTRACTION_TIMEOUT_MS) });
}

/** Stops the workers (server shutdown). */
export async function closeExtractionPool(): Promise<void> {
  const closing = pool;
  pool = undefined;
  await closing?.destroy();
}
