import { sql, type Kysely } from 'kysely';
import { isPostgres } from './migrations/columns.js';
import type { DB } from './schema.js';

/**
 * Re-analyses the SQLite tables whose planner statistics no longer match them (`PRAGMA
 * optimize`, which SQLite recommends running periodically on long-lived connections; it bounds
 * its own work with a temporary analysis limit). Statistics taken while a table was small stay
 * in the file: one ANALYZE of a one-file database made the download query scan every stored file
 * once there were 1,700 of them (0.5 ms a request, against a rowid lookup). Mosaic never runs
 * ANALYZE itself, but an operator or a tool may. PostgreSQL's autovacuum already re-analyses
 * tables as they grow, so there it does nothing. Returns whether it ran.
 */
export async function refreshPlannerStatistics(db: Kysely<DB>): Promise<boolean> {
  if (isPostgres(db)) return false;
  await sql`pragma optimize`.execute(db);
  return true;
}
