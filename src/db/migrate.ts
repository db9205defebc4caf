import { Migrator, PostgresAdapter, sql, type Kysely, type Migration, type MigrationResult, type MigrationResultSet } from 'kysely';
import { takeMigrationLock } from './postgres/migration-lock.js';
import { migrations as productionMigrations } from './migrations/index.js';

/** Migrations by name; the production list unless a caller (a test) passes another. */
export type MigrationList = Record<string, Migration>;

const MIGRATION_TABLE = 'kysely_migration';

/** The database holds migrations this build does not know: it was migrated by newer code. */
export class SchemaTooNewError extends Error {
  override name = 'SchemaTooNewError';
  constructor(readonly unknown: string[]) {
    super(
      `the database schema is newer than this build of Mosaic (it has migration${unknown.length > 1 ? 's' : ''} ` +
        `${unknown.join(', ')} that this code does not know); deploy the newer build, or restore a database made by this one`,
    );
  }
}

export class MigrationFailedError extends Error {
  override name = 'MigrationFailedError';
}

export interface MigrationStatus {
  applied: { name: string; appliedAt: string }[];
  pending: string[];
  /** Applied in the database but unknown to this build. */
  unknown: string[];
  /** The number of the newest applied migration (0 for an empty database). */
  schemaVersion: number;
  latestVersion: number;
}

export function migrationVersion(name: string): number {
  return Number.parseInt(name.slice(0, name.indexOf('_')), 10);
}

async function appliedMigrations(db: Kysely<any>): Promise<{ name: string; appliedAt: string }[]> {
  const tables = await db.introspection.getTables({ withInternalKyselyTables: true });
  if (!tables.some((table) => table.name === MIGRATION_TABLE)) return [];
  const rows = await db
    .selectFrom(MIGRATION_TABLE)
    .select(['name', 'timestamp'])
    .orderBy('name')
    .execute();
  return rows.map((row) => ({ name: String(row.name), appliedAt: String(row.timestamp) }));
}

export async function migrationStatus(db: Kysely<any>, migrations: MigrationList = productionMigrations): Promise<MigrationStatus> {
  const known = Object.keys(migrations).sort();
  const applied = await appliedMigrations(db);
  const appliedNames = new Set(applied.map((m) => m.name));
  const newest = applied.at(-1)?.name;
  return {
    applied,
    pending: known.filter((name) => !appliedNames.has(name)),
    unknown: applied.map((m) => m.name).filter((name) => !(name in migrations)),
    schemaVersion: newest ? migrationVersion(newest) : 0,
    latestVersion: known.length ? migrationVersion(known.at(-1)!) : 0,
  };
}

/** How long a run waits for another process's migration by default (MIGRATION_LOCK_TIMEOUT_SECONDS). */
export const DEFAULT_MIGRATION_LOCK_TIMEOUT_MS = 60_000;

export interface MigrateOptions {
  /** PostgreSQL: how long to wait for the migration lock before MigrationLockTimeoutError. */
  lockTimeoutMs?: number;
}

/**
 * Brings the schema to this build's latest version. Safe to run from several processes at
 * once, directly or through a transaction pooler: on PostgreSQL the run holds a
 * transaction-scoped advisory lock, so one migrates and the others wait (bounded), then find
 * nothing to do. With nothing pending no lock is taken at all.
 */
export async function migrateToLatest(
  db: Kysely<any>,
  migrations: MigrationList = productionMigrations,
  options: MigrateOptions = {},
): Promise<MigrationResult[]> {
  return migrate(db, migrations, (migrator) => migrator.migrateToLatest(), options);
}

/** Brings the schema up to the named migration and no further (a data copy matches its source's version). */
export async function migrateUpTo(db: Kysely<any>, name: string): Promise<MigrationResult[]> {
  return migrate(db, productionMigrations, (migrator) => migrator.migrateTo(name), {});
}

type Run = (migrator: Migrator) => Promise<MigrationResultSet>;

/**
 * PostgreSQL: one transaction on one connection, which first takes the transaction-scoped lock
 * (src/db/migration-lock.ts), then lets Kysely's migrator work inside it. Kysely's own run
 * would take a session-level lock before its transaction and free it with a statement of its
 * own, which behind PgBouncer may reach another server connection and leave the lock held.
 */
async function runLockedOnPostgres(db: Kysely<any>, migrations: MigrationList, run: Run, options: MigrateOptions): Promise<MigrationResultSet> {
  return db.connection().execute(async (connection) => {
    await sql`begin`.execute(connection);
    try {
      await takeMigrationLock(connection, options.lockTimeoutMs ?? DEFAULT_MIGRATION_LOCK_TIMEOUT_MS);
      const provider = { getMigrations: async () => migrations };
      const outcome = await run(new Migrator({ db: connection, provider, disableTransactions: true }));
      await sql.raw(outcome.error ? 'rollback' : 'commit').execute(connection);
      return outcome;
    } catch (error) {
      await sql`rollback`.execute(connection).catch(() => {});
      throw error;
    }
  });
}

async function migrate(db: Kysely<any>, migrations: MigrationList, run: Run, options: MigrateOptions): Promise<MigrationResult[]> {
  const before = await migrationStatus(db, migrations);
  if (before.unknown.length > 0) throw new SchemaTooNewError(before.unknown);
  // Nothing to do: no lock, no transaction (every start of an up-to-date instance).
  if (before.pending.length === 0) return [];
  // Each run is one transaction on both backends (PostgreSQL natively, SQLite through the
  // dialect in connection.ts): a migration failing half-way leaves the schema as it was.
  const provider = { getMigrations: async () => migrations };
  const { error, results } =
    db.getExecutor().adapter instanceof PostgresAdapter
      ? await runLockedOnPostgres(db, migrations, run, options)
      : await run(new Migrator({ db, provider }));
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName;
    const reason = error instanceof Error ? error.message : String(error);
    // Kysely reports a database with unknown migrations this way when another process raced us.
    if (/corrupted migrations/.test(reason)) throw new SchemaTooNewError((await migrationStatus(db, migrations)).unknown);
    throw new MigrationFailedError(`migration ${failed ?? '(setup)'} failed: ${reason}`);
  }
  return results ?? [];
}

/**
 * The schema version and pending count in one cheap query, for health checks (which run
 * every few seconds: no introspection). Throws when the database cannot be reached.
 */
export async function schemaHealth(db: Kysely<any>): Promise<{ schemaVersion: number; pendingMigrations: number }> {
  const known = Object.keys(productionMigrations);
  let applied: string[] = [];
  try {
    const result = await sql<{ name: string }>`select name from ${sql.table(MIGRATION_TABLE)}`.execute(db);
    applied = result.rows.map((row) => row.name);
  } catch (error) {
    // A reachable database without the migrations table has simply not been migrated.
    const tables = await db.introspection.getTables({ withInternalKyselyTables: true });
    if (tables.some((table) => table.name === MIGRATION_TABLE)) throw error;
  }
  const newest = applied.sort().at(-1);
  return {
    schemaVersion: newest ? migrationVersion(newest) : 0,
    pendingMigrations: known.filter((name) => !applied.includes(name)).length,
  };
}
