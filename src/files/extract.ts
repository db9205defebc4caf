import { assertInflatesWithin, type ArchiveLimits } from './archive.js';
import type { DocumentKind } from './detect.js';

/** Extracted text is capped: matching and feedback need words, not whole books. */
export const MAX_TEXT_LENGTH = 200_000;
const MAX_PDF_PAGES = 100;

async function pdfText(bytes: Uint8Array, owned: boolean): Promise<string> {
  // The legacy build is the one pdf.js supports on Node; loaded on first use so the server
  // starts without it. In Node it runs its worker in-process ("fake worker").
  const { getDocument } = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const task = getDocument({
    // pdf.js takes ownership of the array it is given (it transfers, i.e. detaches, it to its
    // worker), so it gets a copy unless the caller gave the bytes away. It copies anything but
    // a plain Uint8Array spanning its whole buffer itself.
    data: owned && !Buffer.isBuffer(bytes) ? bytes : new Uint8Array(bytes),
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
    stopAtErrors: false,
    verbosity: 0,
  });
  const pdf = await task.promise;
  try {
    const pages: string[] = [];
    for (let number = 1; number <= Math.min(pdf.numPages, MAX_PDF_PAGES); number++) {
      const page = await pdf.getPage(number);
      const content = await page.getTextContent();
      let text = '';
      for (const item of content.items) {
        if (!('str' in item)) continue;
        text += item.str + (item.hasEOL ? '\n' : ' ');
      }
      pages.push(text.replace(/[ \t]+\n/g, '\n').trim());
      page.cleanup();
    }
    return pages.join('\n\n');
  } finally {
    await task.destroy();
  }
}

async function docxText(bytes: Uint8Array, archive: ArchiveLimits): Promise<string> {
  assertInflatesWithin(bytes, archive);
  // Loaded on first use: mammoth costs ~15 MB of resident memory an idle server need not hold.
  const { default: mammoth } = await import('mammoth');
  const result = await mammoth.extractRawText({ buffer: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) });
  return result.value;
}

function plainText(bytes: Uint8Array): string {
  // Bytes were checked to be UTF-8 on upload; a byte-order mark is not part of the text. Only
  // the bytes that can make MAX_TEXT_LENGTH code units are decoded (at most 3 bytes a unit);
  // `stream` holds back a character cut in half at the end instead of emitting U+FFFD.
  return new TextDecoder('utf-8').decode(bytes.subarray(0, MAX_TEXT_LENGTH * 3), { stream: true });
}

/**
 * The document's text for the coach, matching and résumé feedback, or null when the format
 * has no extractor (ODT, RTF) or there is no text in it (a scanned PDF).
 */
export async function extractText(
  kind: DocumentKind,
  bytes: Uint8Array,
  archive: ArchiveLimits,
  /** `bytesOwned`: nothing else will read `bytes`, so the parser may take them over. */
  options: { bytesOwned?: boolean } = {},
): Promise<string | null> {
  let text: string;
  switch (kind) {
    case 'pdf':
      text = await pdfText(bytes, options.bytesOwned ?? false);
      break;
    case 'docx':
      text = await docxText(bytes, archive);
      break;
    case 'text':
    case 'markdown':
      text = plainText(bytes);
      break;
    default:
      return null;
  }
  // PostgreSQL text cannot hold NUL; a PDF's text layer occasionally carries one.
  const cleaned = text.replaceAll('\u0000', '').trim();
  return cleaned ? cleaned.slice(0, MAX_TEXT_LENGTH) : null;
}
