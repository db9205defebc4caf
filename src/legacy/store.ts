import { sql, type Kysely, type Selectable } from 'kysely';
import { isPostgres } from '../db/migrations/columns.js';
import type { DB, LegacyItemsTable } from '../db/schema.js';

export type ItemRow = Selectable<LegacyItemsTable>;

// Multi-row inserts stay well under SQLite's 32,766 bound parameters (7 columns a row).
const INSERT_CHUNK = 500;

/** Whether the target has been migrated to hold legacy work (a dry run never migrates). */
export async function hasLegacyTables(db: Kysely<DB>): Promise<boolean> {
  const tables = await db.introspection.getTables();
  return tables.some((t) => t.name === 'legacy_items');
}

/** The legacy accounts already imported, with the address each got (null once the account was deleted). */
export async function importedAccounts(db: Kysely<DB>, legacyIds: string[]): Promise<Map<string, string | null>> {
  if (legacyIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('legacy_accounts')
    .leftJoin('users', 'users.id', 'legacy_accounts.user_id')
    .select(['legacy_accounts.legacy_id', 'users.email'])
    .where('legacy_accounts.legacy_id', 'in', legacyIds)
    .execute();
  return new Map(rows.map((r) => [r.legacy_id, r.email]));
}

export async function takenEmails(db: Kysely<DB>, emails: string[]): Promise<Set<string>> {
  if (emails.length === 0) return new Set();
  const rows = await db.selectFrom('users').select('email').where('email', 'in', emails).execute();
  return new Set(rows.map((r) => r.email!));
}

export interface NewAccount {
  legacyId: string;
  /** The address the account gets (the normalized one, or a duplicate's derived one). */
  address: string;
  /** The legacy address, normalized. */
  legacyEmail: string;
  passwordHash: string | null;
  createdAt: string;
  lastActiveAt: string;
}

/** Inserts the accounts and their legacy markers; call in one transaction with the batch. */
export async function insertAccounts(db: Kysely<DB>, accounts: NewAccount[], now: string): Promise<void> {
  for (let start = 0; start < accounts.length; start += INSERT_CHUNK) {
    const chunk = accounts.slice(start, start + INSERT_CHUNK);
    const users = await db
      .insertInto('users')
      .values(chunk.map((a) => ({ email: a.address, password_hash: a.passwordHash, created_at: a.createdAt, updated_at: now, last_active_at: a.lastActiveAt })))
      .returning(['id', 'email'])
      .execute();
    // Matched by address (unique), not by position: RETURNING promises no order.
    const idOf = new Map(users.map((u) => [u.email!, u.id]));
    await db
      .insertInto('legacy_accounts')
      .values(chunk.map((a) => ({ legacy_id: a.legacyId, user_id: idOf.get(a.address)!, email: a.legacyEmail, imported_at: now })))
      .execute();
  }
}

/** Creates the claimable sessions that do not exist yet; returns how many were new. */
export async function ensureSessions(db: Kysely<DB>, hashes: string[], now: string): Promise<number> {
  let created = 0;
  for (let start = 0; start < hashes.length; start += INSERT_CHUNK) {
    const chunk = hashes.slice(start, start + INSERT_CHUNK);
    const result = await db
      .insertInto('legacy_sessions')
      .values(chunk.map((session_hash) => ({ session_hash, imported_at: now, claimed_at: null, claimed_by: null, removed_at: null })))
      .onConflict((c) => c.column('session_hash').doNothing())
      .executeTakeFirst();
    created += Number(result.numInsertedOrUpdatedRows ?? 0);
  }
  return created;
}

export async function knownSessions(db: Kysely<DB>, hashes: string[]): Promise<Set<string>> {
  if (hashes.length === 0) return new Set();
  const rows = await db.selectFrom('legacy_sessions').select('session_hash').where('session_hash', 'in', hashes).execute();
  return new Set(rows.map((r) => r.session_hash));
}

/** Sessions whose work was claimed or removed: a re-run must not bring it back. */
export async function closedSessions(db: Kysely<DB>, hashes: string[]): Promise<Set<string>> {
  if (hashes.length === 0) return new Set();
  const rows = await db
    .selectFrom('legacy_sessions')
    .select('session_hash')
    .where('session_hash', 'in', hashes)
    .where((eb) => eb.or([eb('claimed_at', 'is not', null), eb('removed_at', 'is not', null)]))
    .execute();
  return new Set(rows.map((r) => r.session_hash));
}

export async function importedItems(db: Kysely<DB>, items: { kind: string; legacyId: string }[]): Promise<Set<string>> {
  if (items.length === 0) return new Set();
  // By kind too: the unique index is (kind, legacy_id), and a lookup by legacy_id alone would
  // scan the table once per batch (an import that slows down as it grows).
  const kinds = [...new Set(items.map((i) => i.kind))];
  const rows = await db
    .selectFrom('legacy_items')
    .select('legacy_id')
    .where('kind', 'in', kinds)
    .where('legacy_id', 'in', items.map((i) => i.legacyId))
    .execute();
  return new Set(rows.map((r) => r.legacy_id));
}

/** Inserts the items not there yet; returns the legacy ids it inserted (one statement a chunk, no lookup). */
export async function insertItems(db: Kysely<DB>, items: Omit<ItemRow, 'id'>[]): Promise<Set<string>> {
  const inserted = new Set<string>();
  for (let start = 0; start < items.length; start += INSERT_CHUNK) {
    const rows = await db
      .insertInto('legacy_items')
      .values(items.slice(start, start + INSERT_CHUNK))
      .onConflict((c) => c.columns(['kind', 'legacy_id']).doNothing())
      .returning('legacy_id')
      .execute();
    for (const row of rows) inserted.add(row.legacy_id);
  }
  return inserted;
}

/**
 * PostgreSQL plans a growing table by the statistics of its first, empty moments until
 * autovacuum catches up: a lookup by key in `legacy_items` then became a scan per batch, an
 * import slowing as it grew. Refreshed every so many batches, the plans stay index lookups.
 */
export async function refreshStatistics(db: Kysely<DB>): Promise<void> {
  if (isPostgres(db)) await sql`analyze users, legacy_accounts, legacy_sessions, legacy_items`.execute(db);
}

/** Marks the session claimed by `userId`, once: false when it is unknown, claimed or removed. */
export async function markClaimed(db: Kysely<DB>, sessionHash: string, userId: number, now: string): Promise<boolean> {
  const result = await db
    .updateTable('legacy_sessions')
    .set({ claimed_at: now, claimed_by: userId })
    .where('session_hash', '=', sessionHash)
    .where('claimed_at', 'is', null)
    .where('removed_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** A page of the session's items in import order (files' bytes included). */
export function itemsPage(db: Kysely<DB>, sessionHash: string, afterId: number, limit: number): Promise<ItemRow[]> {
  return db
    .selectFrom('legacy_items')
    .selectAll()
    .where('session_hash', '=', sessionHash)
    .where('id', '>', afterId)
    .orderBy('id')
    .limit(limit)
    .execute();
}

export async function deleteItems(db: Kysely<DB>, sessionHash: string): Promise<void> {
  await db.deleteFrom('legacy_items').where('session_hash', '=', sessionHash).execute();
}

/** What an unclaimed session holds, without reading any bytes: items per kind, and the workbook's data. */
export async function unclaimedSummary(db: Kysely<DB>, sessionHash: string) {
  const open = await db
    .selectFrom('legacy_sessions')
    .select('session_hash')
    .where('session_hash', '=', sessionHash)
    .where('claimed_at', 'is', null)
    .where('removed_at', 'is', null)
    .executeTakeFirst();
  if (!open) return undefined;
  const kinds = await db
    .selectFrom('legacy_items')
    .select(['kind', (eb) => eb.fn.countAll<number | string>().as('n')])
    .where('session_hash', '=', sessionHash)
    .groupBy('kind')
    .execute();
  const workbook = await db
    .selectFrom('legacy_items')
    .select('data')
    .where('session_hash', '=', sessionHash)
    .where('kind', '=', 'ps101')
    .execute();
  return { kinds: kinds.map((k) => ({ kind: k.kind, count: Number(k.n) })), workbooks: workbook.map((w) => w.data) };
}

/** Removes the work of sessions imported before `before` and never claimed; the sessions stay, marked removed. */
export async function removeUnclaimed(db: Kysely<DB>, before: string, now: string): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const stale = trx
      .selectFrom('legacy_sessions')
      .select('session_hash')
      .where('claimed_at', 'is', null)
      .where('removed_at', 'is', null)
      .where('imported_at', '<', before);
    await trx.deleteFrom('legacy_items').where('session_hash', 'in', stale).execute();
    const result = await trx
      .updateTable('legacy_sessions')
      .set({ removed_at: now })
      .where('claimed_at', 'is', null)
      .where('removed_at', 'is', null)
      .where('imported_at', '<', before)
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  });
}

export interface LegacyStatus {
  accounts: number;
  /** Accounts still holding the legacy hash (their owner has not logged in yet). */
  accountsWithLegacyHash: number;
  sessions: { unclaimed: number; claimed: number; removed: number };
  unclaimedItems: { kind: string; count: number }[];
  oldestUnclaimedImport: string | null;
}

export async function status(db: Kysely<DB>): Promise<LegacyStatus> {
  const count = (rows: { n: number | string | bigint }[]) => Number(rows[0]?.n ?? 0);
  const accounts = count(await db.selectFrom('legacy_accounts').select((eb) => eb.fn.countAll<number>().as('n')).execute());
  const weak = count(
    await db
      .selectFrom('legacy_accounts')
      .innerJoin('users', 'users.id', 'legacy_accounts.user_id')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('users.password_hash', 'like', 'legacy-sha256$%')
      .execute(),
  );
  const states = await db
    .selectFrom('legacy_sessions')
    .select([
      sql<string>`case when claimed_at is not null then 'claimed' when removed_at is not null then 'removed' else 'unclaimed' end`.as('state'),
      (eb) => eb.fn.countAll<number>().as('n'),
    ])
    .groupBy(sql`case when claimed_at is not null then 'claimed' when removed_at is not null then 'removed' else 'unclaimed' end`)
    .execute();
  const sessions = { unclaimed: 0, claimed: 0, removed: 0 };
  for (const s of states) sessions[s.state as keyof typeof sessions] = Number(s.n);
  const items = await db
    .selectFrom('legacy_items')
    .select(['kind', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy('kind')
    .orderBy('kind')
    .execute();
  const oldest = await db
    .selectFrom('legacy_sessions')
    .select((eb) => eb.fn.min('imported_at').as('oldest'))
    .where('claimed_at', 'is', null)
    .where('removed_at', 'is', null)
    .executeTakeFirst();
  return {
    accounts,
    accountsWithLegacyHash: weak,
    sessions,
    unclaimedItems: items.map((i) => ({ kind: i.kind, count: Number(i.n) })),
    oldestUnclaimedImport: (oldest?.oldest as string | null | undefined) ?? null,
  };
}
