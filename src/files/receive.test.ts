import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { ReceiveBuffers, receiveFile } from './receive.js';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** A file part as busboy hands it over: chunks, and `truncated` once past its size limit. */
function part(bytes: Buffer, chunkBytes: number, limit = Infinity): Readable & { truncated?: boolean } {
  const stream = new Readable({ read() {} }) as Readable & { truncated?: boolean };
  let sent = 0;
  for (let start = 0; start < bytes.length; start += chunkBytes) {
    const chunk = bytes.subarray(start, Math.min(start + chunkBytes, bytes.length));
    if (sent + chunk.length > limit) {
      // busboy pushes what fits, flags the part, then drops the rest.
      stream.push(chunk.subarray(0, limit - sent));
      stream.truncated = true;
      break;
    }
    stream.push(chunk);
    sent += chunk.length;
  }
  stream.push(null);
  return stream;
}

describe('receiving an upload', () => {
  it('gathers the chunks in one buffer of the declared size and hashes them on the way', async () => {
    const bytes = randomBytes(300_000);
    const received = await receiveFile(part(bytes, 65_536), { maxBytes: 1_000_000, declaredBytes: bytes.length + 200 });
    assert.equal(received.truncated, false);
    assert.deepEqual(received.bytes, bytes);
    assert.equal(received.sha256, sha256(bytes));
    // One allocation of the declared size: the bytes are a view of it, no copy at the end.
    assert.equal(received.bytes.buffer.byteLength, bytes.length + 200);
  });

  it('grows a buffer of unknown length and cuts it to size so a clone does not copy the slack', async () => {
    const bytes = randomBytes(200_000);
    const received = await receiveFile(part(bytes, 16_384), { maxBytes: 1_000_000 });
    assert.deepEqual(received.bytes, bytes);
    assert.equal(received.sha256, sha256(bytes));
    assert.ok(received.bytes.buffer.byteLength <= bytes.length * 1.125, `buffer of ${received.bytes.buffer.byteLength} bytes`);
  });

  it('says truncated past the limit, whether busboy flagged it or the chunks overran', async () => {
    const bytes = randomBytes(100_000);
    const flagged = await receiveFile(part(bytes, 8192, 50_000), { maxBytes: 50_000, declaredBytes: bytes.length });
    assert.equal(flagged.truncated, true);
    const overran = await receiveFile(part(bytes, 8192), { maxBytes: 50_000 });
    assert.equal(overran.truncated, true);
    assert.ok(overran.bytes.length <= 50_000);
  });
});

describe('reused receive buffers', () => {
  it('hands a given-back buffer to the next upload of about its size, and only then', async () => {
    const buffers = new ReceiveBuffers(2, 1_000_000);
    const first = await receiveFile(part(randomBytes(100_000), 65_536), { maxBytes: 1_000_000, declaredBytes: 100_300, buffers });
    buffers.give(first.bytes);
    assert.equal(buffers.size, 1);
    // Far smaller: a clone of it would copy the whole buffer, so a new one is allocated.
    const small = buffers.take(10_000);
    assert.notEqual(small.buffer, first.bytes.buffer);
    const next = buffers.take(100_100);
    assert.equal(next.buffer, first.bytes.buffer);
    assert.equal(buffers.size, 0);
  });

  it("keeps at most `keep` buffers, none over the size cap, and never memory it did not hand out", () => {
    const buffers = new ReceiveBuffers(1, 4096);
    const big = buffers.take(8192);
    buffers.give(big);
    assert.equal(buffers.size, 0);
    // Node's shared slab (Buffer.from of small data) must never be reused by an upload.
    buffers.give(Buffer.from('a few bytes'));
    assert.equal(buffers.size, 0);
    const [a, b] = [buffers.take(1000), buffers.take(1000)];
    buffers.give(a);
    buffers.give(a);
    buffers.give(b);
    assert.equal(buffers.size, 1);
  });
});
