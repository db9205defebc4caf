// Runs in a worker thread of the extraction pool (extract-pool.ts).
import type { ArchiveLimits } from './archive.js';
import type { DocumentKind } from './detect.js';
import { extractText } from './extract.js';

export interface ExtractionTask {
  kind: DocumentKind;
  bytes: Uint8Array;
  archive: ArchiveLimits;
}

export default function extract(task: ExtractionTask): Promise<string | null> {
  // The bytes were transferred to this thread (extract-pool.ts): nothing else reads them.
  return extractText(task.kind, task.bytes, task.archive, { bytesOwned: true });
}
