import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { checkArchive, type ArchiveLimits } from '../files/archive.js';
import { detectDocumentType } from '../files/detect.js';
import { extractText } from '../files/extract.js';
import { displayName } from '../files/names.js';
import type { FileItem } from './items.js';
import { rowTime, utf8Problems, work, type Mapped, type TimeFallbacks } from './mapping.js';
import type { LegacyRow } from './source.js';
import { excerpt, textOrNull } from './values.js';

export interface UploadsFolder {
  /** The real path of `--uploads` (links resolved). */
  root: string;
  maxBytes: number;
  archive: ArchiveLimits;
}

export async function openUploadsFolder(dir: string, limits: Omit<UploadsFolder, 'root'>): Promise<UploadsFolder> {
  const root = await fs.realpath(dir);
  if (!(await fs.stat(root)).isDirectory()) throw new Error(`${dir} is not a folder`);
  return { root, ...limits };
}

/** The stored path's last segment, whichever separator the machine that wrote it used. */
function lastSegment(stored: string): string | undefined {
  return stored.split(/[\\/]/).filter((part) => part !== '').pop();
}

/** A stored path that named a place other than an uploads folder: `..`, absolute, or a drive. */
function pointsElsewhere(stored: string): boolean {
  const parts = stored.split(/[\\/]/);
  return parts.includes('..') || path.isAbsolute(stored) || /^[A-Za-z]:/.test(stored) || stored.startsWith('\\\\');
}

/**
 * One upload: its bytes are looked up in `--uploads` by the stored path's last segment only,
 * so a path from another machine, or one climbing out with `..`, is never followed; a link in
 * the folder that leads outside it is not followed either. The bytes are judged like any
 * upload (src/files/detect.ts).
 */
export async function mapUpload(folder: UploadsFolder, row: LegacyRow, fallbacks: TimeFallbacks): Promise<Mapped> {
  const problems = utf8Problems(row);
  const stored = textOrNull(row.values.file_path);
  const segment = stored ? lastSegment(stored) : undefined;
  if (!stored || !segment || segment === '.' || segment === '..') {
    problems.push(`file_path ${stored ? `"${excerpt(stored)}" has no file name` : 'is empty'}; not imported`);
    return { item: null, problems };
  }
  if (pointsElsewhere(stored)) {
    problems.push(`file_path "${excerpt(stored)}" points outside the uploads folder; not followed, looked up as "${excerpt(segment)}" in --uploads`);
  }
  const candidate = path.join(folder.root, segment);
  let real: string;
  try {
    real = await fs.realpath(candidate);
  } catch {
    problems.push(`file "${excerpt(segment)}" is missing from --uploads; not imported`);
    return { item: null, problems };
  }
  if (path.dirname(real) !== folder.root) {
    problems.push(`file "${excerpt(segment)}" in --uploads is a link leading outside it; not followed, not imported`);
    return { item: null, problems };
  }
  const stat = await fs.stat(real);
  if (!stat.isFile()) {
    problems.push(`"${excerpt(segment)}" in --uploads is not a file; not imported`);
    return { item: null, problems };
  }
  if (stat.size === 0) {
    problems.push(`file "${excerpt(segment)}" is empty; not imported (Mosaic keeps no empty files)`);
    return { item: null, problems };
  }
  if (stat.size > folder.maxBytes) {
    problems.push(`file "${excerpt(segment)}" is ${stat.size} bytes, over MAX_UPLOAD_MB; not imported`);
    return { item: null, problems };
  }
  const bytes = await fs.readFile(real);
  const recorded = row.values.file_size;
  if (typeof recorded !== 'number' || recorded !== bytes.length) {
    problems.push(`file size on disk (${bytes.length} bytes) differs from the recorded file_size (${recorded ?? 'empty'}); imported the bytes on disk`);
  }
  const name = displayName(textOrNull(row.values.filename) ?? segment);
  const type = await detectType(bytes, name, folder.archive);
  if (!type) {
    problems.push(
      `"${excerpt(name)}" is not a type Mosaic accepts (the browser said ${excerpt(textOrNull(row.values.file_type) ?? 'nothing')}); kept as application/octet-stream, without text`,
    );
  }
  const data: FileItem = {
    name,
    contentType: type?.contentType ?? 'application/octet-stream',
    size: bytes.length,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    text: type ? await textOf(type.kind, bytes, folder.archive) : null,
  };
  const createdAt = rowTime(row.values.created_at, 'created_at', [fallbacks.session], problems);
  return { item: work('file', 'file_uploads', row, createdAt, data, bytes), problems };
}

async function detectType(bytes: Buffer, name: string, archive: ArchiveLimits) {
  try {
    checkArchive(bytes, archive);
    return await detectDocumentType(bytes, name);
  } catch {
    // A ZIP over the archive limits, or one that cannot be read: not a document Mosaic accepts.
    return null;
  }
}

/** The text Mosaic extracts from an upload; an extraction that fails keeps the file without text, as an upload does. */
async function textOf(kind: Parameters<typeof extractText>[0], bytes: Buffer, archive: ArchiveLimits): Promise<string | null> {
  try {
    return await extractText(kind, bytes, archive);
  } catch {
    return null;
  }
}
