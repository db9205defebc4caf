/** Every kind of write the soak sends. */
export const WRITE_KINDS = [
  'registration',
  'guest',
  'login',
  'workbook save',
  'chat',
  'upload',
  'match refresh',
  'match status',
  'résumé',
  'résumé feedback',
  'file deletion',
  'résumé deletion',
  'account deletion',
] as const;
export type WriteKind = (typeof WRITE_KINDS)[number];

/**
 * acknowledged: a 2xx arrived, so the write must be there. failed: a 4xx or 5xx arrived, so
 * none of it may be there. unknown: the process was killed before an answer; either is
 * allowed, but only whole.
 */
export type WriteOutcome = 'acknowledged' | 'failed' | 'unknown';

export interface KindCounts {
  acknowledged: number;
  failed: number;
  unknown: number;
}

/** What a soak run counts: writes per kind and outcome, checks passed, and every problem found. */
export class Ledger {
  readonly writes = new Map<WriteKind, KindCounts>(WRITE_KINDS.map((kind) => [kind, { acknowledged: 0, failed: 0, unknown: 0 }]));
  checksPassed = 0;
  readonly problems: string[] = [];

  record(kind: WriteKind, outcome: WriteOutcome): void {
    this.writes.get(kind)![outcome]++;
  }

  /** Counts a check that held, or records what did not. */
  check(ok: boolean, problem: () => string): boolean {
    if (ok) this.checksPassed++;
    else this.problems.push(problem());
    return ok;
  }

  totals(): KindCounts {
    const totals = { acknowledged: 0, failed: 0, unknown: 0 };
    for (const counts of this.writes.values()) {
      totals.acknowledged += counts.acknowledged;
      totals.failed += counts.failed;
      totals.unknown += counts.unknown;
    }
    return totals;
  }

  /** The counts as a plain table. */
  format(): string {
    const rows = [...this.writes].map(([kind, c]) => [kind, String(c.acknowledged), String(c.failed), String(c.unknown)]);
    const t = this.totals();
    rows.push(['all writes', String(t.acknowledged), String(t.failed), String(t.unknown)]);
    const header = ['write', 'acknowledged', 'failed', 'unknown'];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
    const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ');
    return [line(header), widths.map((w) => '-'.repeat(w)).join('-|-'), ...rows.map(line)].join('\n');
  }
}
