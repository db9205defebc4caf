import { sql, type Kysely } from 'kysely';
import type { Backend } from '../db/connection.js';
import type { CopyColumn, CopyTable, Kind } from './values.js';

/** A table as one database describes itself. */
export interface TableShape {
  name: string;
  columns: { name: string; dataType: string }[];
  primaryKey: string[];
  /** Tables this one references by foreign key. */
  dependsOn: string[];
}

// Migration bookkeeping is reproduced by migrating the target, never copied.
const isMigrationTable = (name: string) => name.startsWith('kysely_migration');

/**
 * Every application table of a database, read from the database itself, so a table added by
 * a later migration is copied and verified with no change here.
 */
export async function introspectTables(db: Kysely<any>, backend: Backend): Promise<TableShape[]> {
  const schema =
    backend === 'postgres'
      ? (await sql<{ schema: string }>`select current_schema() as schema`.execute(db)).rows[0]!.schema
      : undefined;
  const tables = (await db.introspection.getTables()).filter(
    (t) => !isMigrationTable(t.name) && !t.isView && (schema === undefined || t.schema === schema),
  );
  const keys = backend === 'postgres' ? await postgresKeys(db) : await sqliteKeys(db, tables.map((t) => t.name));
  return tables.map((t) => ({
    name: t.name,
    columns: t.columns.map((c) => ({ name: c.name, dataType: c.dataType })),
    primaryKey: keys.primary.get(t.name) ?? [],
    dependsOn: [...new Set(keys.references.get(t.name) ?? [])],
  }));
}

interface Keys {
  primary: Map<string, string[]>;
  references: Map<string, string[]>;
}

async function postgresKeys(db: Kysely<any>): Promise<Keys> {
  const primary = await sql<{ table: string; column: string }>`
    select c.relname as "table", a.attname as "column"
    from pg_index i
    join pg_class c on c.oid = i.indrelid
    join lateral unnest(i.indkey::int2[]) with ordinality as k(attnum, position) on true
    join pg_attribute a on a.attrelid = c.oid and a.attnum = k.attnum
    where i.indisprimary and c.relnamespace = current_schema()::regnamespace
    order by c.relname, k.position`.execute(db);
  const references = await sql<{ table: string; references: string }>`
    select c.relname as "table", r.relname as "references"
    from pg_constraint f
    join pg_class c on c.oid = f.conrelid
    join pg_class r on r.oid = f.confrelid
    where f.contype = 'f' and c.relnamespace = current_schema()::regnamespace`.execute(db);
  return {
    primary: groupBy(primary.rows, (r) => r.table, (r) => r.column),
    references: groupBy(references.rows, (r) => r.table, (r) => r.references),
  };
}

async function sqliteKeys(db: Kysely<any>, tables: string[]): Promise<Keys> {
  const primary = new Map<string, string[]>();
  const references = new Map<string, string[]>();
  for (const table of tables) {
    const columns = await sql<{ name: string; pk: number }>`select name, pk from pragma_table_info(${table})`.execute(db);
    primary.set(
      table,
      columns.rows.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk).map((c) => c.name),
    );
    const foreign = await sql<{ table: string }>`select "table" from pragma_foreign_key_list(${table})`.execute(db);
    references.set(table, foreign.rows.map((f) => f.table));
  }
  return { primary, references };
}

function groupBy<T>(rows: T[], key: (row: T) => string, value: (row: T) => string): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const row of rows) map.set(key(row), [...(map.get(key(row)) ?? []), value(row)]);
  return map;
}

const PG_KINDS: Record<string, Kind> = {
  int2: 'integer',
  int4: 'integer',
  int8: 'integer',
  float4: 'float',
  float8: 'float',
  bool: 'boolean',
  text: 'text',
  varchar: 'text',
  json: 'json',
  jsonb: 'json',
  timestamptz: 'timestamp',
  bytea: 'bytes',
};

/** SQLite's type affinity rules, in its own order of precedence. */
function sqliteKind(declared: string): Kind | undefined {
  const type = declared.toUpperCase();
  if (type.includes('INT')) return 'integer';
  if (/CHAR|CLOB|TEXT/.test(type)) return 'text';
  if (type.includes('BLOB')) return 'bytes';
  if (/REAL|FLOA|DOUB/.test(type)) return 'float';
  return undefined;
}

function columnKind(table: string, column: string, dataType: string, backend: Backend): Kind {
  const kind = backend === 'postgres' ? PG_KINDS[dataType] : sqliteKind(dataType);
  if (!kind) throw new Error(`column ${table}.${column} has type "${dataType}", which the copy does not know how to carry`);
  return kind;
}

export interface Side {
  backend: Backend;
  tables: TableShape[];
}

/**
 * The tables to copy, parents before children. Column kinds come from the PostgreSQL side when
 * there is one: its types say what SQLite's text and integers mean (timestamp, JSON, boolean).
 */
export function planTables(source: Side, target: Side): CopyTable[] {
  const targetTables = new Map(target.tables.map((t) => [t.name, t]));
  const problems: string[] = [];
  for (const t of target.tables) {
    if (!source.tables.some((s) => s.name === t.name)) problems.push(`table ${t.name} exists only in the target`);
  }
  const plans = source.tables.map((table): CopyTable => {
    const other = targetTables.get(table.name);
    if (!other) {
      problems.push(`table ${table.name} is missing from the target`);
      return { name: table.name, columns: [], keyColumns: [] };
    }
    const otherColumns = new Map(other.columns.map((c) => [c.name, c.dataType]));
    for (const c of other.columns) {
      if (!table.columns.some((s) => s.name === c.name)) problems.push(`column ${table.name}.${c.name} exists only in the target`);
    }
    const columns = table.columns.map((column): CopyColumn => {
      const otherType = otherColumns.get(column.name);
      if (otherType === undefined) problems.push(`column ${table.name}.${column.name} is missing from the target`);
      const pgType = source.backend === 'postgres' ? column.dataType : target.backend === 'postgres' ? otherType : undefined;
      const kind =
        pgType !== undefined
          ? columnKind(table.name, column.name, pgType, 'postgres')
          : columnKind(table.name, column.name, column.dataType, 'sqlite');
      return pgType !== undefined ? { name: column.name, kind, pgType } : { name: column.name, kind };
    });
    if (table.primaryKey.length === 0) {
      problems.push(`table ${table.name} has no primary key, so it cannot be read in a stable order`);
    }
    const keyColumns = table.primaryKey.map((name) => columns.findIndex((c) => c.name === name));
    return { name: table.name, columns, keyColumns };
  });
  if (problems.length > 0) {
    throw new Error(`the source and target schemas differ: ${problems.join('; ')}`);
  }
  return dependencyOrder(plans, new Map(source.tables.map((t) => [t.name, t.dependsOn])));
}

/** Parents before children (self-references aside); a cycle cannot be copied in one pass. */
export function dependencyOrder<T extends { name: string }>(tables: T[], dependsOn: Map<string, string[]>): T[] {
  const byName = new Map(tables.map((t) => [t.name, t]));
  const ordered: T[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (name: string, path: string[]) => {
    if (state.get(name) === 'done') return;
    if (state.get(name) === 'visiting') {
      throw new Error(`foreign keys form a cycle (${[...path, name].join(' -> ')}); the copy cannot order these tables`);
    }
    state.set(name, 'visiting');
    for (const parent of dependsOn.get(name) ?? []) {
      if (parent !== name && byName.has(parent)) visit(parent, [...path, name]);
    }
    state.set(name, 'done');
    ordered.push(byName.get(name)!);
  };
  for (const table of [...tables].sort((a, b) => a.name.localeCompare(b.name))) visit(table.name, []);
  return ordered;
}
