import { createHash, type Hash } from 'node:crypto';
import { migrationStatus } from '../db/migrate.js';
import { DEFAULT_BATCH_BYTES, DEFAULT_BATCH_ROWS, openLocation, openReader } from './copy.js';
import type { BatchLimits, SourceReader } from './endpoints.js';
import { introspectTables, planTables } from './tables.js';
import {
  booleanValue,
  floatNumber,
  floatText,
  integerText,
  keyOf,
  type Cell,
  type CopyTable,
  type Kind,
  type Row,
} from './values.js';

export interface TableCheck {
  table: string;
  sourceRows: number;
  targetRows: number;
  sourceChecksum: string;
  targetChecksum: string;
  match: boolean;
}

export interface Verification {
  source: { location: string; schemaVersion: number };
  target: { location: string; schemaVersion: number };
  tables: TableCheck[];
  /** Why the databases could not be compared table by table (their schemas differ). */
  problem?: string;
  ok: boolean;
}

/**
 * One canonical text per value, the same whichever backend it came from: integers in decimal,
 * floats in their shortest exact form, booleans as the integers 0/1 (what SQLite stores, so a
 * checksum is the same whichever pair of databases it is computed for), timestamps, JSON and
 * text as stored, bytes as themselves. A type tag and a length keep NULL apart from '' and
 * values apart from each other.
 */
function hashCell(hash: Hash, kind: Kind, cell: Cell): void {
  if (cell === null) {
    hash.update('N;');
    return;
  }
  if (Buffer.isBuffer(cell)) {
    hash.update(`x${cell.length}:`);
    hash.update(cell);
    return;
  }
  let text: string;
  try {
    text =
      kind === 'integer'
        ? `i${integerText(cell)}`
        : kind === 'float'
          ? `f${floatText(floatNumber(cell))}`
          : kind === 'boolean'
            ? `i${booleanValue(cell) ? 1 : 0}`
            : `t${String(cell)}`;
  } catch {
    // A value not of its column's kind (SQLite allows it) still hashes, distinctly.
    text = `?${typeof cell}${String(cell)}`;
  }
  hash.update(`${text.length}:${text}`);
}

/** Checksums every table of `location`, or of `snapshot` (an open reader of it, left open) when given. */
async function checksumSide(location: string, tables: CopyTable[], limits: BatchLimits, snapshot?: SourceReader) {
  const reader = snapshot ?? openReader(location);
  try {
    if (!snapshot) await reader.begin();
    const results = new Map<string, { rows: number; checksum: string }>();
    for (const table of tables) {
      const hash = createHash('sha256');
      let rows = 0;
      let after: Row | null = null;
      for (;;) {
        const batch = await reader.readBatch(table, after, limits);
        if (batch.length === 0) break;
        for (const row of batch) {
          for (let i = 0; i < row.length; i++) hashCell(hash, table.columns[i]!.kind, row[i]!);
          hash.update('\n');
        }
        rows += batch.length;
        after = keyOf(table, batch.at(-1)!);
      }
      results.set(table.name, { rows, checksum: hash.digest('hex') });
    }
    return results;
  } finally {
    if (!snapshot) await reader.close();
  }
}

/**
 * Compares two databases table by table: row counts and a SHA-256 over every value in
 * primary-key order, computed the same way on both sides. `ok` only when all agree.
 */
export async function verifyDatabases(
  from: string,
  to: string,
  options: {
    batchRows?: number;
    batchBytes?: number;
    /** Read `from` through this open snapshot (the one a backup copied from), not a fresh one. */
    fromSnapshot?: SourceReader;
  } = {},
): Promise<Verification> {
  const limits = { rows: options.batchRows ?? DEFAULT_BATCH_ROWS, bytes: options.batchBytes ?? DEFAULT_BATCH_BYTES };
  const a = openLocation(from, true);
  try {
    const b = openLocation(to, true);
    try {
      const [statusA, statusB] = [await migrationStatus(a.db), await migrationStatus(b.db)];
      const verification: Verification = {
        source: { location: a.location, schemaVersion: statusA.schemaVersion },
        target: { location: b.location, schemaVersion: statusB.schemaVersion },
        tables: [],
        ok: false,
      };
      let tables: CopyTable[];
      try {
        tables = planTables(
          { backend: a.backend, tables: await introspectTables(a.db, a.backend) },
          { backend: b.backend, tables: await introspectTables(b.db, b.backend) },
        );
      } catch (error) {
        return { ...verification, problem: (error as Error).message };
      }
      const [sideA, sideB] = await Promise.all([
        checksumSide(from, tables, limits, options.fromSnapshot),
        checksumSide(to, tables, limits),
      ]);
      verification.tables = tables.map((table) => {
        const x = sideA.get(table.name)!;
        const y = sideB.get(table.name)!;
        return {
          table: table.name,
          sourceRows: x.rows,
          targetRows: y.rows,
          sourceChecksum: x.checksum,
          targetChecksum: y.checksum,
          match: x.rows === y.rows && x.checksum === y.checksum,
        };
      });
      if (statusA.schemaVersion !== statusB.schemaVersion) {
        verification.problem = `schema versions differ: ${statusA.schemaVersion} and ${statusB.schemaVersion}`;
      }
      verification.ok = !verification.problem && verification.tables.every((t) => t.match);
      return verification;
    } finally {
      await b.close();
    }
  } finally {
    await a.close();
  }
}

/** The verification as a plain table for the terminal. */
export function formatVerification(verification: Verification): string {
  const header = ['table', 'source rows', 'target rows', 'checksum match'];
  const body = verification.tables.map((t) => [
    t.table,
    String(t.sourceRows),
    String(t.targetRows),
    t.match ? 'yes' : t.sourceChecksum === t.targetChecksum ? 'no (row count)' : 'NO',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ');
  const lines = [line(header), widths.map((w) => '-'.repeat(w)).join('-|-'), ...body.map(line)];
  if (verification.problem) lines.push(`problem: ${verification.problem}`);
  lines.push(
    verification.ok
      ? `verified: ${verification.tables.length} tables match (schema version ${verification.source.schemaVersion})`
      : 'MISMATCH: the databases differ',
  );
  return lines.join('\n');
}
