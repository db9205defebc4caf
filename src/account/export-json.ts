import type { Page } from './store.js';

/** The client went away: the export stops reading the database. */
export class ClientGone extends Error {}

/** Where an export writes text: the response itself, or an entry of the zip. */
export interface TextSink {
  /** Resolves once the text may be followed by more (the reader keeps up); throws ClientGone. */
  write(text: string): Promise<void>;
}

/**
 * A list read in keyset pages (`id > after`), rendered a page at a time: never read whole,
 * whatever the person holds.
 */
export class PagedList<R extends { id: number }> {
  constructor(
    readonly limit: number,
    readonly page: (page: Page) => Promise<R[]>,
    readonly render: (rows: R[]) => Promise<unknown[]> | unknown[],
  ) {}

  async *items(): AsyncGenerator<unknown> {
    for (let after = 0; ; ) {
      const rows = await this.page({ after, limit: this.limit });
      yield* await this.render(rows);
      if (rows.length < this.limit) return;
      after = rows[rows.length - 1]!.id;
    }
  }
}

/** A string written in pieces (a file's base64): each piece must need no JSON escaping. */
export class PiecedString {
  constructor(readonly pieces: () => AsyncIterable<string>) {}
}

/** An object with members in this order, some of which may be streamed. */
export class Members {
  constructor(readonly entries: ReadonlyArray<readonly [string, unknown]>) {}
}

const isStreamed = (value: unknown) => value instanceof PagedList || value instanceof PiecedString || value instanceof Members;
const indent = (depth: number) => '  '.repeat(depth);

/** Text written in pieces of about this size: a sink (a zip entry's deflate) works per write. */
const FLUSH_CHARS = 64 * 1024;

/**
 * Writes a JSON document pretty-printed (two spaces, as `JSON.stringify(value, null, 2)`),
 * streaming the parts marked PagedList, PiecedString or Members as they are read, so memory
 * holds one page of rows (or one slice of a file) at a time.
 */
export class PrettyJsonWriter {
  private pending = '';
  constructor(private readonly sink: TextSink) {}

  async document(value: unknown): Promise<void> {
    await this.value(value, 0);
    this.pending += '\n';
    await this.flush();
  }

  private async text(text: string): Promise<void> {
    this.pending += text;
    if (this.pending.length >= FLUSH_CHARS) await this.flush();
  }

  private async flush(): Promise<void> {
    const text = this.pending;
    this.pending = '';
    if (text) await this.sink.write(text);
  }

  private async value(value: unknown, depth: number): Promise<void> {
    if (value instanceof PagedList) return this.list(value.items(), depth);
    if (value instanceof Members) return this.members(value.entries, depth);
    if (value instanceof PiecedString) {
      await this.text('"');
      for await (const piece of value.pieces()) await this.text(piece);
      return this.text('"');
    }
    if (typeof value === 'object' && value !== null && !Array.isArray(value) && Object.values(value).some(isStreamed)) {
      return this.members(Object.entries(value), depth);
    }
    // Newlines inside strings are escaped by JSON.stringify, so every raw one is structure.
    return this.text((JSON.stringify(value, null, 2) ?? 'null').replaceAll('\n', `\n${indent(depth)}`));
  }

  private async members(entries: ReadonlyArray<readonly [string, unknown]>, depth: number): Promise<void> {
    const present = entries.filter(([, value]) => value !== undefined);
    await this.text('{');
    for (const [i, [key, value]] of present.entries()) {
      await this.text(`${i === 0 ? '' : ','}\n${indent(depth + 1)}${JSON.stringify(key)}: `);
      await this.value(value, depth + 1);
    }
    await this.text(present.length ? `\n${indent(depth)}}` : '}');
  }

  private async list(items: AsyncIterable<unknown>, depth: number): Promise<void> {
    await this.text('[');
    let count = 0;
    for await (const item of items) {
      await this.text(`${count === 0 ? '' : ','}\n${indent(depth + 1)}`);
      await this.value(item, depth + 1);
      count++;
    }
    await this.text(count ? `\n${indent(depth)}]` : ']');
  }
}
