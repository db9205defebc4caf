import { constants as zlibConstants, crc32, deflateRawSync, deflateSync } from 'node:zlib';
import { strToU8, zipSync } from 'fflate';

// Small, valid documents built in code for the tests: nothing is downloaded or checked in.

/** A one-page PDF whose text layer holds `lines` (Helvetica, one line each). */
export function pdfDocument(lines: string[]): Buffer {
  const escape = (text: string) => text.replace(/[\\()]/g, (c) => `\\${c}`);
  const stream = ['BT', '/F1 12 Tf', '14 TL', '72 720 Td', ...lines.map((line) => `(${escape(line)}) Tj T*`), 'ET'].join('\n');
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>',
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
    `<< /Length ${Buffer.byteLength(stream, 'latin1')} >>\nstream\n${stream}\nendstream`,
  ];
  return assemblePdf(objects);
}

/**
 * A PDF file from its numbered objects (object i is `i+1 0 obj`, object 1 the catalog): the
 * header, each object, the cross-reference table with exact byte offsets, and the trailer.
 */
export function assemblePdf(objects: (string | Buffer)[]): Buffer {
  const parts: Buffer[] = [Buffer.from('%PDF-1.4\n', 'latin1')];
  let length = parts[0]!.length;
  const push = (chunk: string | Buffer) => {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk, 'latin1') : chunk;
    parts.push(buffer);
    length += buffer.length;
  };
  const offsets: number[] = [];
  objects.forEach((object, index) => {
    offsets.push(length);
    push(`${index + 1} 0 obj\n`);
    push(object);
    push('\nendobj\n');
  });
  const xref = length;
  push(`xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`);
  push(offsets.map((offset) => `${String(offset).padStart(10, '0')} 00000 n \n`).join(''));
  push(`trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`);
  return Buffer.concat(parts);
}

const xmlEscape = (text: string) => text.replace(/[<>&]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;' })[c]!);

const CONTENT_TYPES =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
  '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
  '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
  '<Default Extension="xml" ContentType="application/xml"/>' +
  '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>' +
  '</Types>';
const PACKAGE_RELATIONSHIPS =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
  '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
  '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>' +
  '</Relationships>';

/** A minimal Word document with one paragraph per line. */
export function docxDocument(paragraphs: string[]): Buffer {
  const body = paragraphs.map((text) => `<w:p><w:r><w:t xml:space="preserve">${xmlEscape(text)}</w:t></w:r></w:p>`).join('');
  return Buffer.from(
    zipSync({
      '[Content_Types].xml': strToU8(CONTENT_TYPES),
      '_rels/.rels': strToU8(PACKAGE_RELATIONSHIPS),
      'word/document.xml': strToU8(
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
          `<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>${body}</w:body></w:document>`,
      ),
    }),
  );
}

/** A minimal OpenDocument text: the uncompressed `mimetype` entry comes first, as the format requires. */
export function odtDocument(text: string): Buffer {
  return Buffer.from(
    zipSync({
      mimetype: [strToU8('application/vnd.oasis.opendocument.text'), { level: 0 }],
      'content.xml': strToU8(
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" ' +
          `xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:text><text:p>${xmlEscape(text)}</text:p></office:text></office:body></office:document-content>`,
      ),
      'META-INF/manifest.xml': strToU8(
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">' +
          '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.text"/></manifest:manifest>',
      ),
    }),
  );
}

export const rtfDocument = (text: string) => Buffer.from(`{\\rtf1\\ansi\\deff0 {\\fonttbl {\\f0 Times;}}\\f0 ${text}\\par}`, 'latin1');

/** The start of a Linux executable: what a renamed binary looks like. */
export const elfExecutable = () => Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), Buffer.alloc(120, 0)]);

/** The start of a Windows executable (MZ header with a PE offset). */
export const windowsExecutable = () => {
  const bytes = Buffer.alloc(256, 0);
  bytes.write('MZ', 0, 'latin1');
  bytes.writeUInt32LE(0x80, 0x3c);
  bytes.write('PE\0\0', 0x80, 'latin1');
  return bytes;
};

/** A multipart/form-data body with one file part, for app.inject and fetch alike. */
export function multipartBody(
  bytes: Buffer,
  name: string,
  options: { field?: string; declaredType?: string } = {},
): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----mosaic-test-${Math.random().toString(16).slice(2)}`;
  const head =
    `--${boundary}\r\nContent-Disposition: form-data; name="${options.field ?? 'file'}"; filename="${name.replace(/"/g, '%22')}"\r\n` +
    `Content-Type: ${options.declaredType ?? 'application/octet-stream'}\r\n\r\n`;
  const payload = Buffer.concat([Buffer.from(head, 'utf8'), bytes, Buffer.from(`\r\n--${boundary}--\r\n`, 'utf8')]);
  return { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

/**
 * A PDF that takes pdf.js seconds to read: `pages` pages sharing one compressed content stream
 * of `items` text operations each. A few kilobytes on disk.
 */
export function slowPdf(pages = 100, items = 100_000): Buffer {
  const content = deflateSync(Buffer.from(`BT /F1 1 Tf ${'(word) Tj 1 0 Td '.repeat(items)}ET`, 'latin1'));
  const kids = Array.from({ length: pages }, (_, i) => `${i + 5} 0 R`).join(' ');
  const objects: (string | Buffer)[] = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    `<< /Type /Pages /Kids [${kids}] /Count ${pages} >>`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
    Buffer.concat([Buffer.from(`<< /Length ${content.length} /Filter /FlateDecode >>\nstream\n`, 'latin1'), content, Buffer.from('\nendstream', 'latin1')]),
  ];
  for (let i = 0; i < pages; i++) {
    objects.push('<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Contents 4 0 R >>');
  }
  return assemblePdf(objects);
}

interface ZipEntry {
  name: string;
  /** Stored (method 0) or raw-deflated (method 8) bytes. */
  data: Buffer;
  method: 0 | 8;
  crc: number;
  size: number;
}

/** Method, CRC, both sizes and the name's length: the same run in local and central headers. */
function writeEntryFields(header: Buffer, at: number, entry: ZipEntry, nameLength: number): void {
  header.writeUInt16LE(entry.method, at);
  header.writeUInt32LE(entry.crc, at + 6);
  header.writeUInt32LE(entry.data.length, at + 10);
  header.writeUInt32LE(entry.size, at + 14);
  header.writeUInt16LE(nameLength, at + 18);
}

/** A ZIP file from entries whose bytes are already compressed, with the sizes it is told to declare. */
function zipArchive(entries: ZipEntry[]): Buffer {
  const parts: Buffer[] = [];
  const directory: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    writeEntryFields(local, 8, entry, name.length);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    writeEntryFields(central, 10, entry, name.length);
    central.writeUInt32LE(offset, 42);
    parts.push(local, name, entry.data);
    directory.push(central, name);
    offset += local.length + name.length + entry.data.length;
  }
  const directoryBytes = Buffer.concat(directory);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directoryBytes.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, directoryBytes, end]);
}

const stored = (name: string, text: string): ZipEntry => {
  const data = Buffer.from(text);
  return { name, data, method: 0, crc: crc32(data), size: data.length };
};

/**
 * A DOCX zip bomb: its document.xml inflates to `inflatedMb` MiB inside a valid document, from
 * about 1 KB of deflate data per MiB. The deflate stream is one fully flushed MiB repeated
 * (each copy stands alone), so building it costs milliseconds, not a deflate of the whole.
 * `declaredMb` is what the directory claims (a liar's archive declares little). The MiB is
 * spaces, or with `paragraphs` tiny paragraphs, which a parser turns into millions of nodes.
 */
export function docxBomb(inflatedMb: number, options: { declaredMb?: number; paragraphs?: boolean } = {}): Buffer {
  const paragraph = '<w:p><w:r><w:t>x</w:t></w:r></w:p>';
  const unit = options.paragraphs
    ? Buffer.from(paragraph.repeat(Math.floor((1024 * 1024) / paragraph.length)))
    : Buffer.alloc(1024 * 1024, 0x20);
  const head = '<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>bomb</w:t></w:r></w:p>';
  const tail = '</w:body></w:document>';
  const flushed = (bytes: Buffer) => deflateRawSync(bytes, { finishFlush: zlibConstants.Z_FULL_FLUSH });
  const block = flushed(unit);
  const data = Buffer.concat([flushed(Buffer.from(head)), ...Array.from({ length: inflatedMb }, () => block), deflateRawSync(Buffer.from(tail))]);
  const inflatedBytes = head.length + inflatedMb * unit.length + tail.length;
  const declared = options.declaredMb === undefined ? inflatedBytes : options.declaredMb * 1024 * 1024;
  return zipArchive([
    stored('[Content_Types].xml', CONTENT_TYPES),
    stored('_rels/.rels', PACKAGE_RELATIONSHIPS),
    // The CRC is not computed: every reader here refuses the entry before it could check one.
    { name: 'word/document.xml', data, method: 8, crc: 0, size: Math.min(0xffffffff, declared) },
  ]);
}
