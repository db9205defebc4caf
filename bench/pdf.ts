import { assemblePdf } from '../src/testing/fixtures.js';

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
  const image = `<< /Type /XObject /Subtype /Image /Width ${side} /Height ${side} /ColorSpace /DeviceRGB /BitsPerComponent 8 /Length ${pixels.length} >>\nstream\n`;
  return assemblePdf([
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> /XObject << /Im1 6 0 R >> >> >>',
    `<< /Length ${Buffer.byteLength(content)} >>\nstream\n${content}endstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
    Buffer.concat([Buffer.from(image, 'latin1'), pixels, Buffer.from('\nendstream', 'latin1')]),
  ]);
}
