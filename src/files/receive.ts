import { createHash } from 'node:crypto';

/** An upload's bytes as received, with their SHA-256 (hex) computed on the way in. */
export interface ReceivedFile {
  bytes: Buffer;
  sha256: string;
  /** The sender went past `maxBytes`: the rest was read and dropped, `bytes` is incomplete. */
  truncated: boolean;
}

/** A body of unknown length starts this big and doubles (up to the limit) when it must. */
const INITIAL_CAPACITY_BYTES = 64 * 1024;

/**
 * Receive buffers handed back once an upload is stored, for the next uploads to reuse.
 *
 * An upload's buffer lives for the whole request (receive, checks, the wait for a thread,
 * extraction, the write): long enough for V8 to move it to the old generation, where it is
 * freed only at the next full mark-compact. Under a stream of uploads the dead buffers piled
 * up until V8's external-memory trigger fired (tens of MB over what was in flight). Given
 * back explicitly, a dead buffer is the next upload's buffer instead of garbage.
 *
 * Bounded both ways so an idle server holds little: at most `keep` buffers, none larger than
 * `maxPooledBytes` (a 10 MB upload's buffer is left to the GC).
 */
export class ReceiveBuffers {
  private readonly free: Buffer[] = [];
  /** The memory this pool handed out: only that may come back (never Node's shared slab). */
  private readonly mine = new WeakSet<ArrayBufferLike>();

  constructor(
    private readonly keep: number,
    private readonly maxPooledBytes: number,
  ) {}

  /**
   * A kept buffer of `bytes` to `bytes` + 1/8 (the slack receiveFile tolerates), or a new one
   * of exactly `bytes`.
   */
  take(bytes: number): Buffer {
    let best = -1;
    for (let i = 0; i < this.free.length; i++) {
      const length = this.free[i]!.length;
      if (length >= bytes && length <= bytes + bytes / 8 && (best === -1 || length < this.free[best]!.length)) best = i;
    }
    if (best !== -1) return this.free.splice(best, 1)[0]!;
    const buffer = Buffer.allocUnsafeSlow(bytes);
    if (bytes <= this.maxPooledBytes) this.mine.add(buffer.buffer);
    return buffer;
  }

  /**
   * Hands a buffer (or a view of one) back once nothing reads it any more: the bytes are
   * written (the drivers copy them into their own statement or protocol buffers) and the
   * extraction thread has its copy. Anything this pool did not hand out is ignored.
   */
  give(bytes: Uint8Array): void {
    const memory = bytes.buffer;
    if (!this.mine.has(memory) || this.free.length >= this.keep || this.free.some((b) => b.buffer === memory)) return;
    this.free.push(Buffer.from(memory));
  }

  /** Buffers kept, for tests. */
  get size(): number {
    return this.free.length;
  }
}

/**
 * Reads a file part's chunks into one buffer, hashing each chunk as it arrives.
 *
 * `toBuffer()` kept every network chunk until the end, then `Buffer.concat` copied them all
 * (two copies of the file at that moment, the chunks garbage only at the next GC), and the
 * WebCrypto digest copied the result once more before hashing it. Here the buffer is allocated
 * once, as large as the request says it is (`Content-Length` is the whole multipart body, so
 * never less than the file) but never past the size limit, and each chunk is copied in and can
 * be collected at once. Hashing per 64 KiB chunk costs tens of microseconds at a time on the
 * event loop, where one digest of 10 MiB at the end took ~10 ms in one piece.
 *
 * `file.truncated` is busboy's flag that the part passed its `fileSize` limit; like
 * `toBuffer()`, the remainder is read to the end (dropped) so the request finishes cleanly.
 */
export async function receiveFile(
  file: AsyncIterable<Buffer> & { truncated?: boolean },
  options: { maxBytes: number; declaredBytes?: number; buffers?: ReceiveBuffers },
): Promise<ReceivedFile> {
  const declared = options.declaredBytes;
  const allocate = (bytes: number) => options.buffers?.take(bytes) ?? Buffer.allocUnsafeSlow(bytes);
  let buffer = allocate(
    declared !== undefined && Number.isSafeInteger(declared) && declared > 0
      ? Math.min(declared, options.maxBytes)
      : Math.min(INITIAL_CAPACITY_BYTES, options.maxBytes),
  );
  const hash = createHash('sha256');
  let length = 0;
  let truncated = false;
  for await (const chunk of file) {
    if (truncated) continue;
    if (file.truncated || length + chunk.length > options.maxBytes) {
      truncated = true;
      continue;
    }
    if (length + chunk.length > buffer.length) {
      // Only a body without Content-Length (or one that lied) grows: doubling keeps the copies
      // to about the file's size in all.
      const grown = allocate(Math.min(options.maxBytes, Math.max(buffer.length * 2, length + chunk.length)));
      buffer.copy(grown, 0, 0, length);
      options.buffers?.give(buffer);
      buffer = grown;
    }
    chunk.copy(buffer, length);
    hash.update(chunk);
    length += chunk.length;
  }
  // A structured clone (the bytes sent to the extraction thread) copies a view's whole
  // ArrayBuffer, not the view: a grown buffer far larger than the file is cut to size once.
  // With a Content-Length the slack is the multipart framing, a few hundred bytes.
  if (buffer.length - length > length / 8) {
    const exact = Buffer.allocUnsafeSlow(length);
    buffer.copy(exact, 0, 0, length);
    options.buffers?.give(buffer);
    buffer = exact;
  }
  return { bytes: buffer.subarray(0, length), sha256: hash.digest('hex'), truncated: truncated || Boolean(file.truncated) };
}
