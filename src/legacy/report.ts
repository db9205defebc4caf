import fs from 'node:fs/promises';
import { LEGACY_TABLES, type LegacyTable } from './source.js';

export interface TableCounts {
  /** Rows read from the source. */
  read: number;
  /** Rows imported by this run (by a dry run: rows it would import). */
  imported: number;
  /** Rows an earlier run already imported (or whose work was already claimed or removed). */
  alreadyPresent: number;
  /** Rows that brought nothing into Mosaic; each has a problem entry. */
  notImported: number;
}

export interface Problem {
  table: LegacyTable;
  legacyId: string;
  reason: string;
}

export interface ReportDocument {
  dryRun: boolean;
  counts: Record<LegacyTable, TableCounts> & { duplicateEmails: number; problems: number };
  problems: Problem[];
}

/**
 * What an import did, row by row: every row not imported exactly as it was gets one problem
 * entry (its reasons joined), naming its legacy table and id.
 */
export class ImportReport {
  readonly counts = Object.fromEntries(
    LEGACY_TABLES.map((t) => [t, { read: 0, imported: 0, alreadyPresent: 0, notImported: 0 }]),
  ) as Record<LegacyTable, TableCounts>;
  readonly problems: Problem[] = [];
  duplicateEmails = 0;

  constructor(readonly dryRun: boolean) {}

  problem(table: LegacyTable, legacyId: string, reasons: string[]): void {
    if (reasons.length > 0) this.problems.push({ table, legacyId, reason: reasons.join('; ') });
  }

  toJSON(): ReportDocument {
    return { dryRun: this.dryRun, counts: { ...this.counts, duplicateEmails: this.duplicateEmails, problems: this.problems.length }, problems: this.problems };
  }

  async write(file: string): Promise<void> {
    await fs.writeFile(file, `${JSON.stringify(this.toJSON(), null, 2)}\n`);
  }

  /** The summary printed at the end: one line per table. */
  summary(): string {
    const verb = this.dryRun ? 'would import' : 'imported';
    const lines = LEGACY_TABLES.map((t) => {
      const c = this.counts[t];
      return `  ${t.padEnd(16)} ${String(c.read).padStart(8)} read, ${String(c.imported).padStart(8)} ${verb}, ${String(c.alreadyPresent).padStart(8)} already there, ${String(c.notImported).padStart(6)} not imported`;
    });
    lines.push(`  ${this.problems.length} problem(s) reported; ${this.duplicateEmails} account(s) given another address (case-variant duplicate emails)`);
    return lines.join('\n');
  }
}
