import type { Kysely } from 'kysely';
import { loadConfig } from '../config.js';
import type { DB } from '../db/schema.js';
import { openUploadsFolder, type UploadsFolder } from '../legacy/files.js';
import { importLegacy } from '../legacy/importer.js';
import type { ReportDocument } from '../legacy/report.js';
import { openLegacySource } from '../legacy/source.js';

async function uploadsFolder(dir: string): Promise<UploadsFolder> {
  const config = loadConfig({});
  return openUploadsFolder(dir, {
    maxBytes: config.maxUploadMb * 1024 * 1024,
    archive: { maxUncompressedBytes: 100 * 1024 * 1024, maxRatio: 100 },
  });
}

/** Runs the importer in-process against `db` (null: a dry run with nothing to compare). */
export async function runImport(location: string, uploads: string, db: Kysely<DB> | null, dryRun = false, batchRows = 2): Promise<ReportDocument> {
  const source = await openLegacySource(location);
  try {
    await source.checkSchema();
    const result = await importLegacy({ source, db, dryRun, uploads: await uploadsFolder(uploads), batchRows });
    return result.report.toJSON();
  } finally {
    await source.close();
  }
}

