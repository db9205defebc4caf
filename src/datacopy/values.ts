/**
 * The values a copy carries, and the rules for each kind of column. A value read from one
 * backend is handed to the other as it is, or the copy stops: nothing is altered quietly.
 */

/** What a column holds, whichever backend stores it. */
export type Kind = 'integer' | 'float' | 'boolean' | 'text' | 'json' | 'timestamp' | 'bytes';

/** A value as the readers produce it: SQLite integers arrive as bigint, PostgreSQL int8 as decimal text. */
export type Cell = null | string | number | bigint | boolean | Buffer;
export type Row = Cell[];

export interface CopyColumn {
  name: string;
  kind: Kind;
  /** The PostgreSQL type name when a side is PostgreSQL (int4, timestamptz, …): range checks use it. */
  pgType?: string;
}

export interface CopyTable {
  name: string;
  columns: CopyColumn[];
  /** Indexes into `columns` of the primary key, in key order. */
  keyColumns: number[];
}

/** A value the target cannot hold as it is; the copy stops with where and why. */
export class CopyValueError extends Error {
  override name = 'CopyValueError';
  constructor(
    readonly table: string,
    readonly key: string,
    readonly column: string,
    readonly reason: string,
  ) {
    super(`cannot copy ${table} row ${key}: column ${column}: ${reason}; nothing was written to the target`);
  }
}

/** Raised by a value check; the caller adds the table, the row key and the column. */
export class ValueProblem extends Error {
  override name = 'ValueProblem';
}

export function describeKey(table: CopyTable, row: Row): string {
  return table.keyColumns.map((i) => `${table.columns[i]!.name}=${String(row[i])}`).join(', ');
}

export function keyOf(table: CopyTable, row: Row): Row {
  return table.keyColumns.map((i) => row[i]!);
}

const INT_RANGES: Record<string, [bigint, bigint]> = {
  int2: [-(2n ** 15n), 2n ** 15n - 1n],
  int4: [-(2n ** 31n), 2n ** 31n - 1n],
  int8: [-(2n ** 63n), 2n ** 63n - 1n],
};

const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

const digits = (text: string, at: number, count: number) => {
  let n = 0;
  for (let i = at; i < at + count; i++) n = n * 10 + text.charCodeAt(i) - 48;
  return n;
};

/** A real calendar instant (no 30 February, no 25:00); cheaper than a Date round trip per row. */
function isRealInstant(text: string): boolean {
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 2);
  const day = digits(text, 8, 2);
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const days = month === 2 ? (leap ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;
  return day <= days && digits(text, 11, 2) < 24 && digits(text, 14, 2) < 60 && digits(text, 17, 2) < 60;
}

/** The one timestamp text both backends hold: ISO-8601 UTC with milliseconds, a real instant. */
export function checkTimestamp(value: Cell): string {
  if (typeof value !== 'string') throw new ValueProblem(`expected timestamp text, found ${describeType(value)}`);
  if (!ISO_TIMESTAMP.test(value) || !isRealInstant(value)) {
    throw new ValueProblem(`timestamp ${JSON.stringify(value)} is not canonical ISO-8601 UTC with milliseconds (YYYY-MM-DDTHH:MM:SS.sssZ)`);
  }
  return value;
}

export function describeType(value: Cell): string {
  if (value === null) return 'NULL';
  if (Buffer.isBuffer(value)) return 'a blob';
  return `a ${typeof value} (${JSON.stringify(typeof value === 'bigint' ? String(value) : value)?.slice(0, 40)})`;
}

/** An integer as exact decimal text, checked against the PostgreSQL column's range when there is one. */
export function integerText(value: Cell, pgType?: string): string {
  let text: string;
  if (typeof value === 'bigint') text = String(value);
  else if (typeof value === 'number' && Number.isInteger(value)) {
    if (!Number.isSafeInteger(value)) throw new ValueProblem(`integer ${value} is beyond 2^53 and was read inexactly`);
    text = String(value);
  } else if (typeof value === 'string' && /^-?\d+$/.test(value)) text = value;
  else throw new ValueProblem(`expected an integer, found ${describeType(value)}`);
  const range = pgType ? INT_RANGES[pgType] : undefined;
  if (range) {
    const n = BigInt(text);
    if (n < range[0] || n > range[1]) throw new ValueProblem(`integer ${text} does not fit PostgreSQL ${pgType}`);
  }
  return text;
}

export function floatNumber(value: Cell): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint' && value >= -(2n ** 53n) && value <= 2n ** 53n) return Number(value);
  throw new ValueProblem(`expected a number, found ${describeType(value)}`);
}

/** Shortest text that reads back as the same double (PostgreSQL 12+ prints float8 the same way). */
export function floatText(value: number): string {
  if (Object.is(value, -0)) return '-0';
  return String(value);
}

export function booleanValue(value: Cell): boolean {
  if (value === true || value === 1 || value === 1n) return true;
  if (value === false || value === 0 || value === 0n) return false;
  throw new ValueProblem(`expected a boolean (0 or 1), found ${describeType(value)}`);
}

export function textValue(value: Cell): string {
  if (typeof value !== 'string') throw new ValueProblem(`expected text, found ${describeType(value)}`);
  return value;
}

export function jsonText(value: Cell): string {
  const text = textValue(value);
  try {
    JSON.parse(text);
  } catch {
    throw new ValueProblem(`text ${JSON.stringify(text.slice(0, 40))} is not valid JSON`);
  }
  return text;
}

export function bytesValue(value: Cell): Buffer {
  if (!Buffer.isBuffer(value)) throw new ValueProblem(`expected bytes, found ${describeType(value)}`);
  return value;
}
