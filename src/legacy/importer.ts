import type { Kysely } from 'kysely';
import type { CopyProgress } from '../datacopy/copy.js';
import type { DB } from '../db/schema.js';
import { nowIso } from '../db/values.js';
import { AddressOwners, duplicateAddress, mapAccount } from './accounts.js';
import { mapUpload, type UploadsFolder } from './files.js';
import { mapChat, mapJobMatch, mapResume, mapSession, sessionHash, type Mapped, type TimeFallbacks } from './mapping.js';
import { ImportReport } from './report.js';
import { LEGACY_TABLES, WORK_TABLES, type LegacyRow, type LegacySource, type LegacyTable } from './source.js';
import * as store from './store.js';
import { legacyTime, textOrNull } from './values.js';

export interface ImportOptions {
  source: LegacySource;
  /** The target; null only for a dry run against a target not yet migrated (nothing to compare with). */
  db: Kysely<DB> | null;
  dryRun: boolean;
  uploads: UploadsFolder;
  /** Source rows per batch; each batch is written in one transaction. */
  batchRows?: number;
  onProgress?: (progress: CopyProgress) => void;
}

export interface ImportResult {
  report: ImportReport;
  rows: number;
  seconds: number;
}

const DEFAULT_BATCH_ROWS = 1000;
// A batch of files is written once its bytes pass this, whatever its row count.
const FILE_BATCH_BYTES = 32 * 1024 * 1024;
const FILE_BATCH_ROWS = 100;
// How often PostgreSQL's statistics of the growing tables are refreshed (store.refreshStatistics).
const STATISTICS_EVERY_BATCHES = 20;

type Item = NonNullable<Mapped['item']>;

/**
 * Imports the predecessor's database: accounts first, then each session's workbook, then the
 * work tables. The source is read a batch at a time in key order; each batch is written in
 * one transaction, and every write is keyed by the legacy row (a legacy account id, a legacy
 * table and row id), so a run killed at any moment and run again skips what was committed
 * and ends where one uninterrupted run would have.
 */
export async function importLegacy(options: ImportOptions): Promise<ImportResult> {
  const started = performance.now();
  const { source, db, dryRun } = options;
  const batchRows = options.batchRows ?? DEFAULT_BATCH_ROWS;
  const report = new ImportReport(dryRun);
  const totals = new Map<LegacyTable, number>();
  for (const table of LEGACY_TABLES) totals.set(table, await source.count(table));
  const totalRows = [...totals.values()].reduce((a, b) => a + b, 0);
  let rowsDone = 0;
  const progress = (table: LegacyTable, count: number) => {
    rowsDone += count;
    options.onProgress?.({ table, tableRows: report.counts[table].read, tableTotal: totals.get(table) ?? 0, rows: rowsDone, totalRows });
  };
  let batchesWritten = 0;
  const batchWritten = async () => {
    if (db && !dryRun && ++batchesWritten % STATISTICS_EVERY_BATCHES === 0) await store.refreshStatistics(db);
  };
  const write = async (run: (trx: Kysely<DB>) => Promise<void>) => {
    if (!dryRun && db) await db.transaction().execute(run);
  };

  // Accounts. A first pass decides, for each address, which legacy account keeps it.
  const owners = new AddressOwners();
  for await (const rows of batches(source, 'users', batchRows)) for (const row of rows) owners.consider(row);
  for await (const rows of batches(source, 'users', batchRows)) {
    const accounts = rows.map(mapAccount);
    const done = db ? await store.importedAccounts(db, accounts.map((a) => a.legacyId)) : new Map<string, string | null>();
    const emails = [...new Set(accounts.flatMap((a) => (a.email && !done.has(a.legacyId) ? [a.email] : [])))];
    const taken = db ? await store.takenEmails(db, emails) : new Set<string>();
    const fresh: store.NewAccount[] = [];
    for (const account of accounts) {
      const counts = report.counts.users;
      counts.read++;
      const problems = [...account.problems];
      if (!account.email) {
        counts.notImported++;
        report.problem('users', account.legacyId, problems);
        continue;
      }
      // Already imported: the address it was given says which way the rule went then.
      const given = done.get(account.legacyId);
      const owner = done.has(account.legacyId)
        ? given === account.email || (given === null && owners.owns(account.email, account.legacyId))
        : owners.owns(account.email, account.legacyId) && !taken.has(account.email);
      const address = owner ? account.email : duplicateAddress(account.email, account.legacyId);
      if (!owner) {
        report.duplicateEmails++;
        problems.push(
          owners.sharing(account.email) > 1 && !owners.owns(account.email, account.legacyId)
            ? `email ${account.email} is shared, case aside, with a more recently used legacy account; this account gets ${address} and still logs in at ${account.email} with its own password`
            : `email ${account.email} already belongs to a Mosaic account; this account gets ${address} and still logs in at ${account.email} with its own password`,
        );
      }
      report.problem('users', account.legacyId, problems);
      if (done.has(account.legacyId)) {
        counts.alreadyPresent++;
        continue;
      }
      counts.imported++;
      fresh.push({
        legacyId: account.legacyId,
        address,
        legacyEmail: account.email,
        passwordHash: account.passwordHash,
        createdAt: account.createdAt,
        lastActiveAt: account.lastActiveAt,
      });
    }
    await write((trx) => store.insertAccounts(trx, fresh, nowIso()));
    await batchWritten();
    progress('users', rows.length);
  }

  // Sessions: each one holding work becomes claimable; its workbook responses are an item.
  for await (const rows of batches(source, 'sessions', batchRows)) {
    const ids = rows.map((r) => String(r.values.id));
    const withWork = await source.sessionsWithWork(ids);
    const known = db ? await store.knownSessions(db, ids.map(sessionHash)) : new Set<string>();
    const keep: string[] = [];
    const items: { item: Item; table: LegacyTable }[] = [];
    for (const row of rows) {
      const id = String(row.values.id);
      const hash = sessionHash(id);
      const mapped = mapSession(row);
      const counts = report.counts.sessions;
      counts.read++;
      if (!mapped.item && !withWork.has(id)) {
        counts.notImported++;
        report.problem('sessions', id, [...mapped.problems, 'the session holds no work; nothing to import']);
        continue;
      }
      report.problem('sessions', id, mapped.problems);
      keep.push(hash);
      if (mapped.item) items.push({ item: mapped.item, table: 'sessions' });
      if (known.has(hash)) counts.alreadyPresent++;
      else counts.imported++;
    }
    await write(async (trx) => {
      await store.ensureSessions(trx, keep, nowIso());
    });
    await writeItems(items, false);
    progress('sessions', rows.length);
  }

  // The work, each row under its session's hash (an orphan's too: its browser may still hold it).
  for (const table of WORK_TABLES) {
    const isFiles = table === 'file_uploads';
    for await (const rows of batches(source, table, isFiles ? FILE_BATCH_ROWS : batchRows)) {
      const sessionIds = [...new Set(rows.flatMap((r) => { const s = textOrNull(r.values.session_id); return s ? [s] : []; }))];
      const sessions = await source.existingSessions(sessionIds);
      let pending: { item: Item; table: LegacyTable }[] = [];
      let pendingBytes = 0;
      for (const row of rows) {
        report.counts[table].read++;
        const legacyId = String(row.values.id);
        const sessionId = textOrNull(row.values.session_id);
        if (!sessionId) {
          report.counts[table].notImported++;
          report.problem(table, legacyId, ['session_id is empty: nobody can claim this work; not imported']);
          continue;
        }
        const fallbacks: TimeFallbacks = { session: sessions.has(sessionId) ? legacyTime(sessions.get(sessionId), 'created_at').value : null };
        const mapped = await mapWork(table, row, fallbacks, options.uploads);
        if (!sessions.has(sessionId)) mapped.problems.unshift('its session does not exist (an orphan row); kept, claimable by the session id it names');
        report.problem(table, legacyId, mapped.problems);
        if (!mapped.item) {
          report.counts[table].notImported++;
          continue;
        }
        pending.push({ item: mapped.item, table });
        pendingBytes += mapped.item.content?.length ?? 0;
        if (pendingBytes >= FILE_BATCH_BYTES) {
          await writeItems(pending, true);
          pending = [];
          pendingBytes = 0;
        }
      }
      await writeItems(pending, true);
      progress(table, rows.length);
    }
  }

  /**
   * Writes the items not yet imported, in one transaction with the sessions they need. Work of
   * a session already claimed (or removed by the purge) is never brought back.
   */
  async function writeItems(items: { item: Item; table: LegacyTable }[], countRows: boolean): Promise<void> {
    if (items.length === 0) return;
    const hashes = [...new Set(items.map((i) => i.item.sessionHash))];
    const closed = db ? await store.closedSessions(db, hashes) : new Set<string>();
    const open = items.filter((i) => !closed.has(i.item.sessionHash));
    let inserted: Set<string>;
    if (dryRun || !db) {
      // Nothing is written: what would be new is what the target does not hold yet.
      const existing = db ? await store.importedItems(db, open.map((i) => i.item)) : new Set<string>();
      inserted = new Set(open.filter((i) => !existing.has(i.item.legacyId)).map((i) => i.item.legacyId));
    } else {
      inserted = await db.transaction().execute(async (trx) => {
        await store.ensureSessions(trx, [...new Set(open.map((i) => i.item.sessionHash))], nowIso());
        return store.insertItems(
          trx,
          open.map(({ item }) => ({
            session_hash: item.sessionHash,
            kind: item.kind,
            legacy_id: item.legacyId,
            created_at: item.createdAt,
            data: JSON.stringify(item.data),
            content: item.content ?? null,
          })),
        );
      });
      await batchWritten();
    }
    if (countRows) {
      for (const i of items) report.counts[i.table][inserted.has(i.item.legacyId) ? 'imported' : 'alreadyPresent']++;
    }
  }

  return { report, rows: rowsDone, seconds: (performance.now() - started) / 1000 };
}

function mapWork(table: LegacyTable, row: LegacyRow, fallbacks: TimeFallbacks, uploads: UploadsFolder): Promise<Mapped> | Mapped {
  switch (table) {
    case 'wimd_outputs':
      return mapChat(row, fallbacks);
    case 'job_matches':
      return mapJobMatch(row, fallbacks);
    case 'resume_versions':
      return mapResume(row, fallbacks);
    case 'file_uploads':
      return mapUpload(uploads, row, fallbacks);
    default:
      throw new Error(`${table} holds no work`);
  }
}

async function* batches(source: LegacySource, table: LegacyTable, size: number): AsyncGenerator<LegacyRow[]> {
  let after: string | number | null = null;
  for (;;) {
    const rows = await source.batch(table, after, size);
    if (rows.length === 0) return;
    yield rows;
    after = rows[rows.length - 1]!.values.__key as string | number;
  }
}
