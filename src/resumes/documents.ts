import { createRequire } from 'node:module';
import { Document, Packer, Paragraph, TextRun } from 'docx';
import { openSync, type Font } from 'fontkit';
import PDFDocument from 'pdfkit';

// A résumé version as a file to send: PDF (text selectable, in an embedded Unicode font),
// Word (DOCX) or plain text. The text is at most MAX_RESUME_CHARS, so each stays small. Laying
// out and compressing a long PDF takes a few hundred milliseconds of CPU in one piece, so the
// routes run renderPdf in a worker thread (document-pool.ts), never on the event loop.

export type DocumentFormat = 'pdf' | 'docx' | 'txt';

export const CONTENT_TYPES: Record<DocumentFormat, string> = {
  pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  txt: 'text/plain; charset=utf-8',
};

// DejaVu Sans covers Latin, Greek, Cyrillic, Armenian, Georgian, Hebrew and many symbols.
// A character outside it (e.g. Chinese, Japanese, emoji) cannot be drawn in the PDF: it is
// shown there as "�" (U+FFFD), so the gap is visible; the Word and text downloads keep it.
const require = createRequire(import.meta.url);
const FONTS = {
  regular: require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf'),
  bold: require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf'),
};

let bodyFont: Font | undefined;
const drawable = new Map<number, boolean>();
/** The line with every character the PDF font lacks replaced by U+FFFD. */
function drawableText(line: string): string {
  bodyFont ??= openSync(FONTS.regular) as Font;
  const font = bodyFont;
  let out = '';
  for (const char of line) {
    const code = char.codePointAt(0)!;
    let known = drawable.get(code);
    if (known === undefined) {
      known = code < 0x80 || font.hasGlyphForCodePoint(code);
      if (drawable.size < 10_000) drawable.set(code, known);
    }
    out += known ? char : '\uFFFD';
  }
  return out;
}

/** Characters no document format may hold (C0 controls other than tab and line breaks, lone surrogates). */
const UNWRITABLE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

const linesOf = (content: string) => content.replace(UNWRITABLE, '').replace(/\r\n?/g, '\n').split('\n');
/**
 * pdfkit wraps a word wider than the page one character at a time, measuring the whole word
 * each time: a 100,000-character word would take minutes. No real word is this long, so longer
 * runs are cut into pieces a line can hold.
 */
const LONGEST_WORD = 70;
const breakLongWords = (line: string) => line.replace(new RegExp(`\\S{${LONGEST_WORD}}(?=\\S)`, 'g'), '$& ');

/** The PDF of a résumé text; CPU-bound for up to a second: call it from a worker thread. */
export async function renderPdf(title: string, content: string): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', margin: 56, info: { Title: title, Creator: 'Mosaic' }, autoFirstPage: true });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const ended = new Promise<void>((resolve, reject) => {
    doc.on('end', resolve);
    doc.on('error', reject);
  });
  doc.registerFont('body', FONTS.regular);
  doc.registerFont('heading', FONTS.bold);
  const lines = linesOf(content);
  // The first non-empty line of a résumé is its owner's name: set it as a heading.
  const first = lines.findIndex((line) => line.trim() !== '');
  for (let i = 0; i < lines.length; i += 1) {
    const line = lines[i]!;
    if (i === first) {
      doc.font('heading').fontSize(16).text(breakLongWords(drawableText(line.trim())), { paragraphGap: 6 });
      continue;
    }
    doc.font('body').fontSize(10.5);
    if (line.trim() === '') {
      doc.moveDown(0.6);
      continue;
    }
    doc.text(breakLongWords(drawableText(line)), { lineGap: 1.5 });
  }
  doc.end();
  await ended;
  return Buffer.concat(chunks);
}

export function renderDocx(title: string, content: string): Promise<Buffer> {
  const lines = linesOf(content);
  const first = lines.findIndex((line) => line.trim() !== '');
  const document = new Document({
    title,
    creator: 'Mosaic',
    styles: { default: { document: { run: { font: 'Calibri', size: 22 } } } },
    sections: [
      {
        children: lines.map(
          (line, i) => new Paragraph({ children: [new TextRun({ text: line, bold: i === first, size: i === first ? 32 : 22 })] }),
        ),
      },
    ],
  });
  return Packer.toBuffer(document);
}

export function renderText(content: string): Buffer {
  return Buffer.from(content.replace(/\r\n?/g, '\n'), 'utf8');
}


