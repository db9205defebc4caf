import { PostgresAdapter, type ColumnDefinitionBuilder, type CreateTableBuilder, type Kysely } from 'kysely';

// Column types per backend, used by every migration. Migrations are frozen in time, so
// what an existing helper produces must never change: add a new helper instead.

export function isPostgres(db: Kysely<any>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

export type Table = CreateTableBuilder<string, string>;
type Modify = (col: ColumnDefinitionBuilder) => ColumnDefinitionBuilder;

/** An auto-increment primary key: identity bigint on PostgreSQL, INTEGER PRIMARY KEY AUTOINCREMENT on SQLite. */
export function withId(db: Kysely<any>, table: Table, name = 'id'): Table {
  return isPostgres(db)
    ? table.addColumn(name, 'bigint', (col) => col.primaryKey().generatedByDefaultAsIdentity())
    : table.addColumn(name, 'integer', (col) => col.primaryKey().autoIncrement());
}

/** A reference to another table's id, deleted with it. */
export function withReference(
  db: Kysely<any>,
  table: Table,
  name: string,
  target: string,
  modify: Modify = (col) => col.notNull(),
): Table {
  return table.addColumn(name, isPostgres(db) ? 'bigint' : 'integer', (col) =>
    modify(col.references(target).onDelete('cascade')),
  );
}

/** ISO-8601 UTC with milliseconds: timestamptz(3) on PostgreSQL, that exact text on SQLite. */
export function withTimestamp(db: Kysely<any>, table: Table, name: string, modify: Modify = (col) => col.notNull()): Table {
  return table.addColumn(name, isPostgres(db) ? 'timestamptz(3)' : 'text', modify);
}

/** JSON kept as written: `json` (not jsonb) on PostgreSQL preserves the exact text, so data copies round-trip byte for byte. */
export function withJson(db: Kysely<any>, table: Table, name: string, modify: Modify = (col) => col.notNull()): Table {
  return table.addColumn(name, isPostgres(db) ? 'json' : 'text', modify);
}

export function withBoolean(db: Kysely<any>, table: Table, name: string, modify: Modify = (col) => col.notNull()): Table {
  return table.addColumn(name, isPostgres(db) ? 'boolean' : 'integer', modify);
}

export function withBytes(db: Kysely<any>, table: Table, name: string, modify: Modify = (col) => col.notNull()): Table {
  return table.addColumn(name, isPostgres(db) ? 'bytea' : 'blob', modify);
}

