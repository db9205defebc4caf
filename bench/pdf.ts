/**
 * A valid one-page résumé-like PDF of about `targetBytes`: a page of real text lines and, as
 * real résumés carry, an embedded photo (an uncompressed RGB image) that makes up the size.
 */
export function buildPdf(targetBytes: number): Buffer {
  const lines = Array.from({ length: 60 }, (_, i) => `BT /F1 10 Tf 40 ${760 - i * 12} Td (Led a team of ${i + 3} to cut onboarding time by 30 percent in 2025.) Tj ET`);
  const content = `${lines.join('\n')}\nq 90 0 0 90 480 680 cm /Im1 Do Q\n`;
  const side = Math.max(1, Math.floor(Math.sqrt(Math.max(0, targetBytes - 4000) / 3)));
  const pixels = Buffer.alloc(side * side * 3);
  let seed = 42;
  for (let i = 0; i < pixels.length; i++) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    pixels[i] = seed >>> 24;
  }
  const parts: Buffer[] = [];
  const offsets: number[] = [];
  let length = 0;
  const push = (chunk: string | Buffer) => {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk, 'latin1') : chunk;
    parts.push(buffer);
    length += buffer.length;
  };
  const object = (body: (string | Buffer)[]) => {
    offsets.push(length);
    push(`${offsets.length} 0 obj\n`);
    for (const piece of body) push(piece);
    push('\nendobj\n');
  };
  push('%PDF-1.4\n');
  object(['<< /Type /Catalog /Pages 2 0 R >>']);
  object(['<< /Type /Pages /Kids [3 0 R] /Count 1 >>']);
  object(['<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> /XObject << /Im1 6 0 R >> >> >>']);
  object([`<< /Length ${Buffer.byteLength(content)} >>\nstream\n${content}endstream`]);
  object(['<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>']);
  object([
    `<< /Type /XObject /Subtype /Image /Width ${side} /Height ${side} /ColorSpace /DeviceRGB /BitsPerComponent 8 /Length ${pixels.length} >>\nstream\n`,
    pixels,
    '\nendstream',
  ]);
  const xref = length;
  push(`xref\n0 ${offsets.length + 1}\n0000000000 65535 f \n`);
  for (const offset of offsets) push(`${String(offset).padStart(10, '0')} 00000 n \n`);
  push(`trailer\n<< /Size ${offsets.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`);
  return Buffer.concat(parts);
}

/** A multipart/form-data body with one file in the field `file`. */
export function multipartBody(name: string, contentType: string, bytes: Buffer): { body: Buffer; contentType: string } {
  const boundary = `----mosaic-bench-${Date.now().toString(16)}`;
  const head = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: ${contentType}\r\n\r\n`;
  return {
    body: Buffer.concat([Buffer.from(head), bytes, Buffer.from(`\r\n--${boundary}--\r\n`)]),
    contentType: `multipart/form-data; boundary=${boundary}`,
  };
}
