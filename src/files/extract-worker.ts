// Runs in a worker thread of the extraction pool (extract-pool.ts).
import { extractText } from './extract.js';
import type { DocumentKind } from './detect.js';

export default function extract(task: { kind: DocumentKind; bytes: Uint8Array }): Promise<string | null> {
  return extractText(task.kind, task.bytes);
}
