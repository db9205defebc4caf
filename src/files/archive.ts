import { Unzip, UnzipInflate, unzipSync } from 'fflate';
import { AppError } from '../errors.js';

export interface ArchiveLimits {
  /** Everything in the archive, inflated. */
  maxUncompressedBytes: number;
  /** Inflated size over stored size, for any entry that inflates past ARCHIVE_RATIO_FLOOR_BYTES. */
  maxRatio: number;
}

// Small entries may compress extremely well (a run of spaces) without costing anything.
const ARCHIVE_RATIO_FLOOR_BYTES = 1024 * 1024;
const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];

export const isZip = (bytes: Uint8Array) => ZIP_MAGIC.every((byte, i) => bytes[i] === byte);

const tooLarge = (limits: ArchiveLimits) =>
  new AppError(413, 'archive_too_large', `The document inflates to more than ${limits.maxUncompressedBytes / 1024 / 1024} MB.`, {
    maxUncompressedBytes: limits.maxUncompressedBytes,
  });

/**
 * Refuses a ZIP container (DOCX, ODT) whose central directory announces more than the limits,
 * before anything inflates it: 413 `archive_too_large` for the total, 413
 * `archive_ratio_too_high` for a zip bomb's tell-tale ratio, 415 `invalid_archive` when the
 * directory cannot be read. Reads only the directory, never the data. Anything that is not a
 * ZIP passes.
 */
export function checkArchive(bytes: Uint8Array, limits: ArchiveLimits): void {
  if (!isZip(bytes)) return;
  let total = 0;
  let ratioExceeded = false;
  try {
    unzipSync(bytes, {
      filter: (entry) => {
        total += entry.originalSize;
        const ratio = entry.originalSize / Math.max(entry.size, 1);
        if (entry.originalSize > ARCHIVE_RATIO_FLOOR_BYTES && ratio > limits.maxRatio) ratioExceeded = true;
        return false;
      },
    });
  } catch {
    throw new AppError(415, 'invalid_archive', 'The document is a damaged ZIP archive.');
  }
  if (total > limits.maxUncompressedBytes) throw tooLarge(limits);
  if (ratioExceeded) {
    throw new AppError(413, 'archive_ratio_too_high', `A part of the document inflates more than ${limits.maxRatio} times.`, {
      maxRatio: limits.maxRatio,
    });
  }
}

class InflatedTooMuch extends Error {}

// The parts a text extractor inflates; images and other media are never read for text.
const INFLATE_INPUT_SLICE_BYTES = 4096;
const MARKUP_ENTRY = /\.(xml|rels)$/i;

/**
 * Inflates every markup entry, counting, and stops as soon as the total passes the limit: the
 * directory's sizes can lie, the inflated bytes cannot. Runs in the extraction worker, before
 * the parser, and holds one chunk at a time. Throws `archive_too_large`.
 */
export function assertInflatesWithin(bytes: Uint8Array, limits: ArchiveLimits): void {
  let total = 0;
  const unzip = new Unzip((file) => {
    if (!MARKUP_ENTRY.test(file.name)) return;
    file.ondata = (error, chunk) => {
      if (error) throw error;
      total += chunk.length;
      if (total > limits.maxUncompressedBytes) throw new InflatedTooMuch();
    };
    file.start();
  });
  unzip.register(UnzipInflate);
  try {
    // fflate inflates whatever it is handed in one go: fed a few KiB at a time, one push can
    // only grow by ~1,000 times that (deflate's ceiling), so the count stops a bomb early.
    for (let start = 0; start < bytes.length; start += INFLATE_INPUT_SLICE_BYTES) {
      const end = Math.min(start + INFLATE_INPUT_SLICE_BYTES, bytes.length);
      unzip.push(bytes.subarray(start, end), end === bytes.length);
    }
  } catch (error) {
    if (error instanceof InflatedTooMuch) throw tooLarge(limits);
    throw error;
  }
}
