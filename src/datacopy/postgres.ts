import { once } from 'node:events';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { approximateBytes, quoteIdentifier as q, type BatchLimits, type SourceReader, type TableSink, type TargetWriter } from './endpoints.js';
import {
  booleanValue,
  bytesValue,
  checkTimestamp,
  CopyValueError,
  describeKey,
  floatNumber,
  floatText,
  integerText,
  jsonText,
  textValue,
  ValueProblem,
  type Cell,
  type CopyColumn,
  type CopyTable,
  type Row,
} from './values.js';

const PG_INT8 = 20;
const PG_JSON = 114;
const PG_JSONB = 3802;

/** int8 stays exact decimal text (never a lossy number); JSON stays the text as stored. */
const copyTypes = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (format !== 'binary' && (oid === PG_INT8 || oid === PG_JSON || oid === PG_JSONB)) return (value: string) => value;
    return pg.types.getTypeParser(oid, format ?? 'text');
  },
} as pg.CustomTypesConfig;

function connect(url: string): pg.Client {
  const client = new pg.Client({ connectionString: url, types: copyTypes, application_name: 'mosaic-copy' });
  // An error on an idle connection is reported by the next query; unhandled, it would crash.
  client.on('error', () => {});
  return client;
}

/** Key columns; text keys compare byte-wise ("C"), the order SQLite uses, so both sides agree. */
function keyExpressions(table: CopyTable): string[] {
  return table.keyColumns.map((i) => {
    const column = table.columns[i]!;
    return column.kind === 'text' ? `${q(column.name)} collate "C"` : q(column.name);
  });
}

function selectExpression(column: CopyColumn): string {
  // The instant as canonical ISO text, whatever the session's time zone.
  if (column.kind === 'timestamp') return `to_char(${q(column.name)} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
  return q(column.name);
}

function sizeExpression(column: CopyColumn): string {
  if (column.kind === 'bytes' || column.kind === 'text') return `coalesce(octet_length(${q(column.name)}), 0)`;
  if (column.kind === 'json') return `coalesce(octet_length(${q(column.name)}::text), 0)`;
  return '8';
}

/**
 * Reads PostgreSQL on one connection inside REPEATABLE READ READ ONLY: every query sees the
 * snapshot taken at the first one, however much the live server writes meanwhile.
 */
export class PostgresReader implements SourceReader {
  readonly #client: pg.Client;

  constructor(url: string) {
    this.#client = connect(url);
  }

  async begin(): Promise<void> {
    await this.#client.connect();
    await this.#client.query('begin isolation level repeatable read read only');
  }

  async count(table: CopyTable): Promise<number> {
    const result = await this.#client.query<{ count: string }>(`select count(*) as count from ${q(table.name)}`);
    return Number(result.rows[0]!.count);
  }

  async readBatch(table: CopyTable, after: Row | null, limits: BatchLimits): Promise<Row[]> {
    const key = keyExpressions(table);
    const afterParams = after ? after.map((_, i) => `$${i + 1}`) : [];
    const afterClause = after ? `(${key.join(', ')}) > (${afterParams.join(', ')})` : 'true';
    const params: unknown[] = after ? [...after] : [];
    // Sizes first (cheap: no value is fetched), so a batch of 10 MB files stays a few rows.
    const sizes = await this.#client.query({
      text: `select ${key.join(', ')}, ${table.columns.map(sizeExpression).join(' + ')} from ${q(table.name)}
             where ${afterClause} order by ${key.join(', ')} limit ${Math.floor(limits.rows)}`,
      values: params,
      rowMode: 'array',
    });
    if (sizes.rows.length === 0) return [];
    let bytes = 0;
    let last = sizes.rows.length - 1;
    for (let i = 0; i < sizes.rows.length; i++) {
      bytes += Number((sizes.rows[i] as unknown[])[key.length]);
      if (bytes >= limits.bytes) {
        last = i;
        break;
      }
    }
    const lastKey = (sizes.rows[last] as unknown[]).slice(0, key.length);
    const upto = lastKey.map((_, i) => `$${params.length + i + 1}`);
    const result = await this.#client.query({
      text: `select ${table.columns.map(selectExpression).join(', ')} from ${q(table.name)}
             where ${afterClause} and (${key.join(', ')}) <= (${upto.join(', ')}) order by ${key.join(', ')}`,
      values: [...params, ...lastKey],
      rowMode: 'array',
    });
    return result.rows as Row[];
  }

  async close(): Promise<void> {
    await this.#client.end();
  }
}

/** COPY text format: backslash, newline, carriage return and tab are escaped; \N is NULL. */
function escapeCopyText(text: string): string {
  if (text.includes('\0')) throw new ValueProblem('text contains a NUL character, which PostgreSQL text cannot hold');
  if (!/[\\\n\r\t]/.test(text)) return text;
  return text.replace(/[\\\n\r\t]/g, (c) => (c === '\\' ? '\\\\' : c === '\n' ? '\\n' : c === '\r' ? '\\r' : '\\t'));
}

type Renderer = (value: Cell) => string;

function copyRenderer(column: CopyColumn): Renderer {
  switch (column.kind) {
    case 'integer':
      return (value) => integerText(value, column.pgType);
    case 'float':
      return (value) => floatText(floatNumber(value));
    case 'boolean':
      return (value) => (booleanValue(value) ? 't' : 'f');
    case 'timestamp':
      return checkTimestamp;
    case 'json':
      return (value) => escapeCopyText(jsonText(value));
    case 'text':
      return (value) => escapeCopyText(textValue(value));
    case 'bytes':
      // bytea's hex input, its backslash doubled for the COPY text format.
      return (value) => `\\\\x${bytesValue(value).toString('hex')}`;
  }
}

/** One COPY ... FROM STDIN line per row; a value the column cannot hold stops with its row key. */
export function renderCopyRows(table: CopyTable, renderers: Renderer[], rows: Row[]): string {
  let out = '';
  for (const row of rows) {
    for (let i = 0; i < row.length; i++) {
      const cell = row[i]!;
      if (i > 0) out += '\t';
      if (cell === null) {
        out += '\\N';
        continue;
      }
      try {
        out += renderers[i]!(cell);
      } catch (error) {
        if (!(error instanceof ValueProblem)) throw error;
        throw new CopyValueError(table.name, describeKey(table, row), table.columns[i]!.name, error.message);
      }
    }
    out += '\n';
  }
  return out;
}

/** Writes PostgreSQL through the COPY protocol, on one connection and in the copy's transaction. */
export class PostgresWriter implements TargetWriter {
  readonly #client: pg.Client;
  #connected: Promise<void> | undefined;

  constructor(url: string) {
    this.#client = connect(url);
  }

  #ready(): Promise<void> {
    this.#connected ??= this.#client.connect().then(() => {});
    return this.#connected;
  }

  async #query(text: string, values?: unknown[]) {
    await this.#ready();
    return this.#client.query({ text, values, rowMode: 'array' });
  }

  async begin(): Promise<void> {
    await this.#query('begin');
  }

  async commit(): Promise<void> {
    await this.#query('commit');
  }

  async rollback(): Promise<void> {
    await this.#query('rollback');
  }

  async rowCount(table: CopyTable): Promise<number> {
    return Number((await this.#query(`select count(*) from ${q(table.name)}`)).rows[0]![0]);
  }

  async lastKey(table: CopyTable): Promise<Row | null> {
    const key = keyExpressions(table);
    const result = await this.#query(
      `select ${key.join(', ')} from ${q(table.name)} order by ${key.map((k) => `${k} desc`).join(', ')} limit 1`,
    );
    return (result.rows[0] as Row | undefined) ?? null;
  }

  async empty(tablesChildrenFirst: CopyTable[]): Promise<void> {
    if (tablesChildrenFirst.length === 0) return;
    // One TRUNCATE of them all: transactional in PostgreSQL, and instant where DELETE would scan.
    await this.#query(`truncate table ${tablesChildrenFirst.map((t) => q(t.name)).join(', ')}`);
  }

  openTable(table: CopyTable): TableSink {
    const renderers = table.columns.map(copyRenderer);
    const columns = table.columns.map((c) => q(c.name)).join(', ');
    let stream: ReturnType<typeof copyFrom> | undefined;
    let done: Promise<void> | undefined;
    const open = async () => {
      await this.#ready();
      stream = this.#client.query(copyFrom(`copy ${q(table.name)} (${columns}) from stdin`));
      done = new Promise<void>((resolve, reject) => {
        stream!.on('finish', resolve);
        stream!.on('error', reject);
      });
      done.catch(() => {});
    };
    // The previous batch's drain is awaited only after the next batch is read and rendered, so
    // Node prepares rows while PostgreSQL ingests; at most two batches are in memory.
    let flushed: Promise<unknown> = Promise.resolve();
    return {
      write: async (rows) => {
        if (rows.length === 0) return;
        const text = renderCopyRows(table, renderers, rows);
        if (!stream) await open();
        await flushed;
        flushed = stream!.write(text) ? Promise.resolve() : Promise.race([once(stream!, 'drain'), done]);
        // A failure is reported by the next write or by finish; never as an unhandled rejection.
        flushed.catch(() => {});
      },
      finish: async () => {
        if (!stream) return;
        await flushed;
        stream.end();
        await done;
      },
      abort: async (error) => {
        if (!stream) return;
        // Sends CopyFail: the server ends the COPY and the transaction is rolled back after.
        stream.destroy(error);
        await done!.catch(() => {});
      },
    };
  }

  async resetSequences(tables: CopyTable[]): Promise<void> {
    for (const table of tables) {
      const sequences = await this.#query(
        `select a.attname, pg_get_serial_sequence($1, a.attname) from pg_attribute a
         where a.attrelid = $1::regclass and a.attnum > 0 and not a.attisdropped
           and pg_get_serial_sequence($1, a.attname) is not null`,
        [q(table.name)],
      );
      for (const [column, sequence] of sequences.rows as [string, string][]) {
        // Next value: one past the largest id (1 for an empty table).
        await this.#query(
          `select setval($1, coalesce((select max(${q(column)}) from ${q(table.name)}), 0) + 1, false)`,
          [sequence],
        );
      }
    }
  }

  async close(): Promise<void> {
    if (this.#connected) await this.#client.end();
  }
}
