import pg from 'pg';
import { LEGACY_COLUMNS, LegacySourceError, missingColumns, notLegacySchema, WORK_TABLES, type LegacyRow, type LegacySource, type LegacyTable } from './source.js';

/**
 * The predecessor after its move to PostgreSQL: same tables, default schema. Every text and
 * timestamp column is read as text (`::text`), so a `timestamp without time zone` keeps the
 * wall-clock UTC value it was written with instead of being shifted by this machine's zone.
 * PostgreSQL's text is valid UTF-8 by construction, so nothing here needs repairing.
 * Everything is read in one REPEATABLE READ transaction: one snapshot for the whole import.
 */
class PostgresSource implements LegacySource {
  readonly kind = 'postgres' as const;

  constructor(private readonly client: pg.Client) {}

  async checkSchema(): Promise<void> {
    const { rows } = await this.client.query<{ table_name: string; column_name: string }>(
      `select table_name, column_name from information_schema.columns where table_schema = current_schema()`,
    );
    const present = new Map<string, Set<string>>();
    for (const row of rows) {
      if (!present.has(row.table_name)) present.set(row.table_name, new Set());
      present.get(row.table_name)!.add(row.column_name);
    }
    const missing = missingColumns(present);
    if (missing.length > 0) throw notLegacySchema(missing);
  }

  async count(table: LegacyTable): Promise<number> {
    const { rows } = await this.client.query<{ n: string }>(`select count(*) as n from ${table}`);
    return Number(rows[0]!.n);
  }

  async batch(table: LegacyTable, after: string | number | null, limit: number): Promise<LegacyRow[]> {
    const { text, numbers } = LEGACY_COLUMNS[table];
    // Numbers as PostgreSQL sends them (a float4 widened to float8 would gain digits); a bigint arrives as text.
    const select = [...numbers.map((c) => `"${c}"`), ...text.map((c) => `"${c}"::text as "${c}"`), 'id as __key'].join(', ');
    const { rows } =
      after === null
        ? await this.client.query(`select ${select} from ${table} order by id limit $1`, [limit])
        : await this.client.query(`select ${select} from ${table} where id > $1 order by id limit $2`, [after, limit]);
    return rows.map((values: Record<string, string | number | null>) => {
      for (const column of numbers) if (typeof values[column] === 'string') values[column] = Number(values[column]);
      return { values, invalidUtf8: [] };
    });
  }

  async existingSessions(ids: string[]): Promise<Map<string, string | null>> {
    if (ids.length === 0) return new Map();
    const { rows } = await this.client.query<{ id: string; created_at: string | null }>(
      `select id, created_at::text as created_at from sessions where id = any($1::text[])`,
      [ids],
    );
    return new Map(rows.map((r) => [r.id, r.created_at]));
  }

  async sessionsWithWork(ids: string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const union = WORK_TABLES.map((t) => `select session_id from ${t} where session_id = any($1::text[])`).join(' union ');
    const { rows } = await this.client.query<{ session_id: string }>(union, [ids]);
    return new Set(rows.map((r) => r.session_id));
  }

  async close(): Promise<void> {
    await this.client.query('rollback').catch(() => {});
    await this.client.end();
  }
}

export async function openPostgresSource(url: string): Promise<LegacySource> {
  const client = new pg.Client({ connectionString: url, application_name: 'mosaic-import-legacy' });
  // An unreachable server or a dropped connection must not crash the process unheard.
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('begin isolation level repeatable read read only');
  } catch (error) {
    await client.end().catch(() => {});
    throw new LegacySourceError(`cannot read the source database: ${(error as Error).message}`);
  }
  return new PostgresSource(client);
}
