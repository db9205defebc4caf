import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { parseBinaryCopy } from './binary-copy.js';

/** What PostgreSQL sends for `COPY … TO STDOUT (FORMAT binary)` of these rows (null: NULL). */
function binaryCopy(rows: (Buffer | null)[][], extension = Buffer.alloc(0)): Buffer {
  const int = (bits: 16 | 32, n: number) => {
    const b = Buffer.alloc(bits / 8);
    if (bits === 16) b.writeInt16BE(n);
    else b.writeInt32BE(n);
    return b;
  };
  const parts: Buffer[] = [Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1'), int(32, 0), int(32, extension.length), extension];
  for (const row of rows) {
    parts.push(int(16, row.length));
    for (const field of row) parts.push(...(field === null ? [int(32, -1)] : [int(32, field.length), field]));
  }
  parts.push(int(16, -1));
  return Buffer.concat(parts);
}

/** `data` cut at these offsets, each piece in memory of its own, as socket reads arrive. */
function cut(data: Buffer, at: number[]): Buffer[] {
  const edges = [0, ...at, data.length];
  return edges.slice(1).map((end, i) => Buffer.from(data.subarray(edges[i], end)));
}

const owns = (b: Buffer) => b.byteOffset === 0 && b.buffer.byteLength === b.length;

describe('parseBinaryCopy', () => {
  const rows = [[Buffer.from('abc'), null], [Buffer.alloc(0), Buffer.from([0, 1, 2, 255])]];
  const data = binaryCopy(rows, Buffer.from('ext'));

  it('reads rows, NULLs and empty values wherever the chunks are cut', () => {
    for (let a = 0; a <= data.length; a++) {
      for (let b = a; b <= data.length; b++) {
        assert.deepEqual(parseBinaryCopy(cut(data, [a, b])), rows.map((fields) => ({ fields })), `cut at ${a} and ${b}`);
      }
    }
    const oneByteEach = cut(data, Array.from({ length: data.length - 1 }, (_, i) => i + 1));
    assert.deepEqual(parseBinaryCopy(oneByteEach), rows.map((fields) => ({ fields })));
  });

  it('gives a value spread over chunks a buffer that owns all its memory, and views a value inside one chunk', () => {
    const big = randomBytes(1024 * 1024);
    const small = randomBytes(100);
    const copy = binaryCopy([[big], [small]]);
    // Socket-sized pieces: the big value spans 17 of them, the small one sits inside one.
    const pieces = cut(copy, Array.from({ length: Math.floor(copy.length / 65536) }, (_, i) => (i + 1) * 65536));
    const [first, second] = parseBinaryCopy(pieces);
    assert.ok(first!.fields[0]!.equals(big));
    assert.ok(owns(first!.fields[0]!), 'its own memory: a download may free it once sent');
    assert.ok(second!.fields[0]!.equals(small));
    assert.ok(!owns(second!.fields[0]!), 'a view into the chunk, not a copy');
  });

  it('refuses data that ends inside a value', () => {
    const truncated = data.subarray(0, data.length - 6);
    assert.throws(() => parseBinaryCopy(cut(truncated, [10])), /ended inside a value/);
  });
});
