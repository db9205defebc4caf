import { isUtf8 } from 'node:buffer';
import fs from 'node:fs';
import BetterSqlite3 from 'better-sqlite3';
import { openSqlite } from '../db/sqlite/dialect.js';
import { approximateBytes, quoteIdentifier as q, type BatchLimits, type SourceReader, type TableSink, type TargetWriter } from './endpoints.js';
import {
  booleanValue,
  bytesValue,
  checkTimestamp,
  CopyValueError,
  describeKey,
  floatNumber,
  integerText,
  keyOf,
  textValue,
  ValueProblem,
  type Cell,
  type CopyColumn,
  type CopyTable,
  type Row,
} from './values.js';

function keyList(table: CopyTable): string {
  return table.keyColumns.map((i) => q(table.columns[i]!.name)).join(', ');
}

/**
 * Reads a SQLite file inside one read transaction: in WAL mode that is a snapshot, so rows
 * committed by a running server after the first read are not seen.
 */
export class SqliteReader implements SourceReader {
  readonly #db: BetterSqlite3.Database;
  readonly #statements = new Map<string, { first: BetterSqlite3.Statement; next: BetterSqlite3.Statement }>();

  constructor(file: string) {
    if (!fs.existsSync(file)) throw new Error(`no SQLite database at ${file}`);
    this.#db = new BetterSqlite3(file, { fileMustExist: true });
    this.#db.pragma('busy_timeout = 5000');
  }

  async begin(): Promise<void> {
    this.#db.exec('BEGIN');
    // The snapshot starts at the first read, not at BEGIN.
    this.#db.prepare('select count(*) from sqlite_master').get();
  }

  async count(table: CopyTable): Promise<number> {
    return Number(this.#db.prepare(`select count(*) from ${q(table.name)}`).pluck().get());
  }

  #statementsFor(table: CopyTable) {
    let statements = this.#statements.get(table.name);
    if (!statements) {
      const columns = table.columns.map((c) => q(c.name)).join(', ');
      const key = keyList(table);
      const placeholders = table.keyColumns.map(() => '?').join(', ');
      // Integers arrive as numbers (BigInts for every cell cost a third of the copy's time in
      // garbage collection); one beyond 2^53 is re-read exactly below.
      const prepare = (sql: string) => this.#db.prepare(sql).raw(true);
      statements = {
        first: prepare(`select ${columns} from ${q(table.name)} order by ${key} limit ?`),
        next: prepare(`select ${columns} from ${q(table.name)} where (${key}) > (${placeholders}) order by ${key} limit ?`),
      };
      this.#statements.set(table.name, statements);
    }
    return statements;
  }

  async readBatch(table: CopyTable, after: Row | null, limits: BatchLimits): Promise<Row[]> {
    const { first, next } = this.#statementsFor(table);
    const rows: Row[] = [];
    const suspects: [Row, number][] = [];
    const inexact: [Row, number][] = [];
    let bytes = 0;
    const iterator = (after ? next.iterate(...after, limits.rows) : first.iterate(limits.rows)) as IterableIterator<Row>;
    for (const row of iterator) {
      rows.push(row);
      for (let i = 0; i < row.length; i++) {
        // better-sqlite3 decodes invalid UTF-8 into U+FFFD; such text is re-read as bytes below.
        const cell = row[i];
        if (typeof cell === 'string') {
          if (cell.includes('\uFFFD')) suspects.push([row, i]);
        } else if (typeof cell === 'number' && !Number.isSafeInteger(cell) && Number.isInteger(cell)) inexact.push([row, i]);
      }
      bytes += approximateBytes(row);
      if (bytes >= limits.bytes) {
        iterator.return?.();
        break;
      }
    }
    for (const [row, column] of inexact) row[column] = this.#reread(table, row, column, q(table.columns[column]!.name));
    for (const [row, column] of suspects) this.#checkUtf8(table, row, column);
    return rows;
  }

  /** One value again, exactly (integers as BigInt), by its row's key. */
  #reread(table: CopyTable, row: Row, column: number, expression: string): Cell {
    const key = keyOf(table, row);
    return this.#db
      .prepare(`select ${expression} from ${q(table.name)} where (${keyList(table)}) = (${key.map(() => '?').join(', ')})`)
      .pluck()
      .safeIntegers(true)
      .get(...key) as Cell;
  }

  #checkUtf8(table: CopyTable, row: Row, column: number): void {
    const name = table.columns[column]!.name;
    const raw = this.#reread(table, row, column, `cast(${q(name)} as blob)`) as Buffer;
    if (!isUtf8(raw)) {
      throw new CopyValueError(table.name, describeKey(table, row), name, 'text is not valid UTF-8 (SQLite accepted it; it cannot be carried without altering it)');
    }
  }

  async close(): Promise<void> {
    if (this.#db.inTransaction) this.#db.exec('ROLLBACK');
    this.#db.close();
  }
}

type Converter = (value: Cell) => Cell;

/** What SQLite stores for a value read from PostgreSQL; SQLite-to-SQLite values pass as they are. */
function sqliteConverter(column: CopyColumn): Converter {
  if (column.pgType === undefined) return (value) => value;
  switch (column.kind) {
    case 'integer':
      return (value) => BigInt(integerText(value));
    case 'float':
      return (value) => {
        const n = floatNumber(value);
        if (Number.isNaN(n)) throw new ValueProblem('NaN cannot be stored by SQLite (it would become NULL)');
        return n;
      };
    case 'boolean':
      return (value) => (booleanValue(value) ? 1 : 0);
    case 'timestamp':
      return checkTimestamp;
    case 'bytes':
      return bytesValue;
    case 'text':
    case 'json':
      return textValue;
  }
}

/** Writes a SQLite file with prepared inserts inside large transactions. */
export class SqliteWriter implements TargetWriter {
  readonly #db: BetterSqlite3.Database;

  constructor(file: string) {
    // NORMAL is durable at each commit in WAL mode except across a power cut; the copy is
    // verified afterwards and a resumed copy re-reads the committed state.
    this.#db = openSqlite(file, 'normal');
  }

  async begin(): Promise<void> {
    this.#db.exec('BEGIN IMMEDIATE');
  }

  async commit(): Promise<void> {
    this.#db.exec('COMMIT');
  }

  async rollback(): Promise<void> {
    if (this.#db.inTransaction) this.#db.exec('ROLLBACK');
  }

  async rowCount(table: CopyTable): Promise<number> {
    return Number(this.#db.prepare(`select count(*) from ${q(table.name)}`).pluck().get());
  }

  async lastKey(table: CopyTable): Promise<Row | null> {
    const key = table.keyColumns.map((i) => q(table.columns[i]!.name));
    const row = this.#db
      .prepare(`select ${key.join(', ')} from ${q(table.name)} order by ${key.map((k) => `${k} desc`).join(', ')} limit 1`)
      .raw(true)
      .safeIntegers(true)
      .get() as Row | undefined;
    return row ?? null;
  }

  async empty(tablesChildrenFirst: CopyTable[]): Promise<void> {
    for (const table of tablesChildrenFirst) this.#db.exec(`delete from ${q(table.name)}`);
  }

  openTable(table: CopyTable): TableSink {
    const names = table.columns.map((c) => q(c.name));
    const insert = this.#db.prepare(
      `insert into ${q(table.name)} (${names.join(', ')}) values (${names.map(() => '?').join(', ')})`,
    );
    const converters = table.columns.map(sqliteConverter);
    return {
      write: async (rows) => {
        for (const row of rows) {
          const values = new Array<Cell>(row.length);
          for (let i = 0; i < row.length; i++) {
            const cell = row[i]!;
            try {
              values[i] = cell === null ? null : converters[i]!(cell);
            } catch (error) {
              if (!(error instanceof ValueProblem)) throw error;
              throw new CopyValueError(table.name, describeKey(table, row), table.columns[i]!.name, error.message);
            }
          }
          insert.run(values);
        }
      },
      finish: async () => {},
      abort: async () => {},
    };
  }

  async resetSequences(): Promise<void> {
    // AUTOINCREMENT's counter (sqlite_sequence) already follows the largest id inserted.
  }

  async close(): Promise<void> {
    await this.rollback();
    this.#db.close();
  }
}
