/** A row of a binary COPY: each field's raw bytes in the type's binary format (bytea: the bytes), or null. */
export interface BinaryCopyRow {
  fields: (Buffer | null)[];
}

// `COPY … TO STDOUT (FORMAT binary)`: an 11-byte signature and 32-bit flags, a 32-bit length of
// the header extension and the extension; then per row a 16-bit field count (-1 ends the data)
// and per field a 32-bit length (-1: NULL) followed by the bytes.
const SIGNATURE_AND_FLAGS = 11 + 4;

/** Reads a sequence of chunks as one stream of bytes, without joining them. */
class ChunkReader {
  #index = 0;
  #offset = 0;

  constructor(private readonly chunks: readonly Buffer[]) {
    this.#skipEnded();
  }

  /**
   * The next `length` bytes: a view when they lie in one chunk, otherwise a copy into a buffer
   * of their own (which owns all of its memory).
   */
  take(length: number): Buffer {
    const chunk = this.chunks[this.#index];
    if (chunk && this.#offset + length <= chunk.length) {
      const view = chunk.subarray(this.#offset, this.#offset + length);
      this.#offset += length;
      this.#skipEnded();
      return view;
    }
    const own = Buffer.allocUnsafeSlow(length);
    for (let filled = 0; filled < length; ) {
      const current = this.chunks[this.#index];
      if (!current) throw new Error('binary COPY data ended inside a value');
      const n = Math.min(length - filled, current.length - this.#offset);
      current.copy(own, filled, this.#offset, this.#offset + n);
      filled += n;
      this.#offset += n;
      this.#skipEnded();
    }
    return own;
  }

  int16(): number {
    return this.take(2).readInt16BE(0);
  }

  int32(): number {
    return this.take(4).readInt32BE(0);
  }

  #skipEnded(): void {
    while (this.#index < this.chunks.length && this.#offset >= this.chunks[this.#index]!.length) {
      this.#index++;
      this.#offset = 0;
    }
  }
}

/**
 * The rows of a binary COPY, read from the chunks it arrived in. A value that spans chunks is
 * copied once into a buffer of its own, so a download can free it the moment it is sent
 * (`releaseWhenSent`). Joining the chunks first (`Buffer.concat`) made a second 1 MB block per
 * download that only the GC could free, and kept PostgreSQL downloads in V8's back-to-back full
 * collections: 2.7–3.0 ms of server CPU per 1 MB download against 1.6 ms with it freed.
 */
export function parseBinaryCopy(chunks: readonly Buffer[]): BinaryCopyRow[] {
  const reader = new ChunkReader(chunks);
  reader.take(SIGNATURE_AND_FLAGS);
  reader.take(reader.int32());
  const rows: BinaryCopyRow[] = [];
  for (;;) {
    const count = reader.int16();
    if (count === -1) return rows;
    const fields: (Buffer | null)[] = [];
    for (let i = 0; i < count; i++) {
      const length = reader.int32();
      fields.push(length === -1 ? null : reader.take(length));
    }
    rows.push({ fields });
  }
}
