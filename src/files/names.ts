export const FILE_NAME_MAX_LENGTH = 255;

// Control characters, and the bidirectional overrides that can make `exe.pdf` read as `fdp.exe`.
const UNSAFE_CHARACTERS = /[\p{Cc}\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/gu;

/**
 * The name shown to the person: as given, minus control characters, trimmed and capped. It is
 * only ever displayed or sent back in Content-Disposition, never joined to a file system path.
 */
export function displayName(raw: string | undefined): string {
  // Only the start of an absurdly long name can survive the cap, so only the start is cleaned
  // (room for a name of 255 code points whose characters are all surrogate pairs, plus junk).
  const cleaned = (raw ?? '').slice(0, FILE_NAME_MAX_LENGTH * 8).replace(UNSAFE_CHARACTERS, '').trim();
  const capped = [...cleaned].slice(0, FILE_NAME_MAX_LENGTH).join('').trim();
  return capped || 'upload';
}

/** An ASCII stand-in for old clients that ignore `filename*`: accents dropped, anything else `_`. */
export function asciiFallbackName(name: string): string {
  return name.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').replace(/[^\x20-\x7e]/g, '_');
}

/** Characters no file system accepts in a name (Windows' set, the strictest), and path separators. */
const PATH_UNSAFE = /[/\\:*?"<>|]/g;
/** Names Windows reserves for devices, whatever the extension. */
const DEVICE_NAMES = /^(con|prn|aux|nul|com\d|lpt\d)(\.|$)/i;
const ARCHIVE_NAME_MAX = 120;

/**
 * A name safe to write inside a zip a person unpacks anywhere: the display name with path
 * separators and characters file systems refuse replaced, no leading dots (no `..`, no hidden
 * file), no device names, no trailing dots or spaces (Windows drops them), capped with its
 * extension kept. Callers prefix it with the file's id, so two files never share a name.
 */
export function archiveEntryName(raw: string): string {
  let name = displayName(raw).normalize('NFC').replace(PATH_UNSAFE, '_').replace(/^[.\s]+/, '').replace(/[.\s]+$/, '');
  if (DEVICE_NAMES.test(name)) name = `_${name}`;
  const chars = [...name];
  if (chars.length > ARCHIVE_NAME_MAX) {
    const dot = name.lastIndexOf('.');
    const extension = dot > 0 && name.length - dot <= 10 ? [...name.slice(dot)] : [];
    name = [...chars.slice(0, ARCHIVE_NAME_MAX - extension.length), ...extension].join('');
  }
  return name || 'file';
}
