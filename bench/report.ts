import fs from 'node:fs';
import { CONNECTION_LEVELS, type Measurement } from './settings.js';

export function format(n: number, digits = 0): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

export interface Row {
  backend: string;
  scenario: string;
  connections: number;
  route: Measurement;
  ceiling: Measurement;
  ceilingName: string;
  /** The bare Fastify route of the same kind (empty, or 1 MB), measured at the same concurrency. */
  fastify?: Measurement;
  /** SQLite writes: the same ceiling with `synchronous=NORMAL` (the server runs FULL). */
  ceilingNormal?: Measurement;
  /** A read route's request, so the run can replay its answer from bare Fastify (see `measureReplay`). */
  request?: { path: string; headers?: Record<string, string> };
  /** Bare Fastify sending this route's exact answer (status, headers, body), same concurrency. */
  replay?: Measurement;
  /** The target this row is held to, for the table's last column. */
  target?: { ratioAtLeast?: number; ofFastifyAtLeast?: number; p99Below?: number };
}

/** Each measurement at every concurrency level of the run. */
export async function atEachLevel(measure: (connections: number) => Promise<Row | Row[]>): Promise<Row[]> {
  const rows: Row[] = [];
  for (const connections of CONNECTION_LEVELS) rows.push(...[await measure(connections)].flat());
  return rows;
}

/**
 * The most a read route could serve on one core if it added nothing of its own: it must send
 * its answer (bare Fastify replaying it) and run its statements (the driver ceiling), one
 * after the other on the same core, so their times per request add up. The driver loop's own
 * bookkeeping is in the ceiling, so this is an estimate, not a proof.
 */
function serialBound(r: Row): number | undefined {
  return r.replay ? 1 / (1 / r.replay.rps + 1 / r.ceiling.rps) : undefined;
}

function verdict(r: Row): string {
  if (!r.target) return '';
  const ratio = r.route.rps / r.ceiling.rps;
  const misses: string[] = [];
  if (r.target.ratioAtLeast !== undefined && ratio < r.target.ratioAtLeast) misses.push(`ratio < ${r.target.ratioAtLeast}`);
  if (r.target.ofFastifyAtLeast !== undefined && r.fastify && r.route.rps / r.fastify.rps < r.target.ofFastifyAtLeast) {
    const bound = serialBound(r);
    // Say so when even a route adding nothing to its bytes and statements would miss.
    const beyond = bound !== undefined && bound / r.fastify.rps < r.target.ofFastifyAtLeast ? `; bound ${format(bound / r.fastify.rps, 2)}` : '';
    misses.push(`of Fastify < ${r.target.ofFastifyAtLeast}${beyond}`);
  }
  if (r.target.p99Below !== undefined && r.route.p99Ms >= r.target.p99Below) misses.push(`p99 ≥ ${r.target.p99Below}`);
  return misses.length === 0 ? 'met' : `MISSED (${misses.join(', ')})`;
}

export function printRows(rows: Row[]): void {
  const header = ['backend', 'scenario', 'conn', 'route req/s', 'p99 ms', 'ceiling', 'ceiling ops/s', 'ratio', 'of Fastify', 'of same bytes', 'of bound', 'of NORMAL', 'errors', 'target'];
  const lines = rows.map((r) => [
    r.backend,
    r.scenario,
    String(r.connections),
    format(r.route.rps),
    format(r.route.p99Ms, 1),
    r.ceilingName,
    format(r.ceiling.rps),
    format(r.route.rps / r.ceiling.rps, 2),
    r.fastify ? format(r.route.rps / r.fastify.rps, 2) : '',
    r.replay ? format(r.route.rps / r.replay.rps, 2) : '',
    r.replay ? format(r.route.rps / serialBound(r)!, 2) : '',
    r.ceilingNormal ? format(r.route.rps / r.ceilingNormal.rps, 2) : '',
    String(r.route.errors + r.ceiling.errors),
    verdict(r),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const render = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
  console.log(render(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const line of lines) console.log(render(line));
}

/** The same figures as JSON, so runs can be compared (bench/results/ is ignored by git). */
export function writeResults(file: string, results: { machine: string; rows: Row[]; notes: string[] }): void {
  fs.mkdirSync(new URL('.', `file://${file}`).pathname, { recursive: true });
  const rows = results.rows.map((r) => ({
    ...r,
    ratio: Number((r.route.rps / r.ceiling.rps).toFixed(3)),
    ofFastify: r.fastify ? Number((r.route.rps / r.fastify.rps).toFixed(3)) : null,
    ofSameBytes: r.replay ? Number((r.route.rps / r.replay.rps).toFixed(3)) : null,
    serialBound: r.replay ? Math.round(serialBound(r)!) : null,
    ofSerialBound: r.replay ? Number((r.route.rps / serialBound(r)!).toFixed(3)) : null,
    ofSynchronousNormal: r.ceilingNormal ? Number((r.route.rps / r.ceilingNormal.rps).toFixed(3)) : null,
    verdict: verdict(r) || null,
  }));
  fs.writeFileSync(file, `${JSON.stringify({ date: new Date().toISOString(), ...results, rows }, null, 2)}\n`);
}
