import type { CopyTable, Row } from './values.js';

/** How much one batch may hold: whichever limit is reached first ends it (one row at least). */
export interface BatchLimits {
  rows: number;
  bytes: number;
}

/** Reads one database from a single consistent snapshot, in primary-key order. */
export interface SourceReader {
  /** Starts the snapshot every later read sees. */
  begin(): Promise<void>;
  count(table: CopyTable): Promise<number>;
  /** The rows after `after` (a key, or null for the start), at most `limits`. */
  readBatch(table: CopyTable, after: Row | null, limits: BatchLimits): Promise<Row[]>;
  close(): Promise<void>;
}

/** Writes rows into one database, in a transaction the copy controls. */
export interface TargetWriter {
  begin(): Promise<void>;
  commit(): Promise<void>;
  rollback(): Promise<void>;
  rowCount(table: CopyTable): Promise<number>;
  /** The greatest primary key present (where a resumed copy continues), or null when empty. */
  lastKey(table: CopyTable): Promise<Row | null>;
  /** Deletes every row of these tables, children first. */
  empty(tablesChildrenFirst: CopyTable[]): Promise<void>;
  openTable(table: CopyTable): TableSink;
  /** Moves id generators past the copied ids, so the next insert gets a fresh one. */
  resetSequences(tables: CopyTable[]): Promise<void>;
  close(): Promise<void>;
}

export interface TableSink {
  write(rows: Row[]): Promise<void>;
  finish(): Promise<void>;
  /** Abandons what was written to this table (the transaction is rolled back after). */
  abort(error: Error): Promise<void>;
}

/** A rough size of a row in memory, to keep batches of large values (file bytes) small. */
export function approximateBytes(row: Row): number {
  let bytes = 0;
  for (const cell of row) {
    if (typeof cell === 'string') bytes += cell.length;
    else if (Buffer.isBuffer(cell)) bytes += cell.length;
    else bytes += 8;
  }
  return bytes;
}

export const quoteIdentifier = (name: string) => `"${name.replaceAll('"', '""')}"`;
