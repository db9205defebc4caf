// `npm run bench:import`: times `mosaic import-legacy` on the predecessor's data at the size the
// issue names (10,000 people, 100,000 chat exchanges, with their sessions, workbooks, matches,
// résumés and files), from a SQLite source into each backend, each a real `mosaic` process
// whose peak resident memory (VmHWM) is polled; then `mosaic db copy` of the imported SQLite
// database into PostgreSQL, for the same rows' copy rate beside it.
// BENCH_DATABASE_URL: an admin URL to create scratch databases (default local postgres).
// BENCH_PEOPLE / BENCH_EXCHANGES: people, and chat exchanges per person (default 10000, 10).
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generatedLegacyData, writeLegacySource } from '../src/testing/legacy-fixtures.js';
import { processMemoryMb } from './proc.js';
import { ADMIN_URL, adminQuery, scratchDatabase } from './scratch-databases.js';

const people = Number(process.env.BENCH_PEOPLE ?? 10_000);
const exchanges = Number(process.env.BENCH_EXCHANGES ?? 10);
const BIN = fileURLToPath(new URL('../bin/mosaic.js', import.meta.url));
const TARGET_SECONDS = 60;
const TARGET_RSS_MB = 300;

interface Measured {
  wallSeconds: number;
  peakRssMb: number;
  stdout: string;
}

/** One `mosaic` command as a child process, its peak memory polled from /proc. */
async function measured(args: string[], env: Record<string, string>): Promise<Measured> {
  const fullEnv: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'warn', ...env };
  if (!('DATABASE_URL' in env)) delete fullEnv.DATABASE_URL;
  const started = performance.now();
  const child = spawn(process.execPath, [BIN, ...args], { env: fullEnv, stdio: ['ignore', 'pipe', 'inherit'] });
  let peak = 0;
  const timer = setInterval(() => (peak = Math.max(peak, processMemoryMb(child.pid!, 'VmHWM'))), 50);
  let stdout = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  const [code] = (await once(child, 'exit')) as [number | null];
  clearInterval(timer);
  if (code !== 0) throw new Error(`mosaic ${args[0]} failed (${code}):\n${stdout}`);
  return { wallSeconds: (performance.now() - started) / 1000, peakRssMb: peak, stdout };
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mosaic-bench-import-'));
console.log(`machine: ${os.cpus().length} cores (${os.cpus()[0]?.model.trim()}), Node ${process.version}, PostgreSQL at ${new URL(ADMIN_URL).host}`);
try {
  const uploads = path.join(dir, 'uploads');
  fs.mkdirSync(uploads);
  const generating = performance.now();
  const source = await writeLegacySource('sqlite', generatedLegacyData(people, exchanges, uploads, 100));
  const sourceRows = people * 2 + people * exchanges + 2 * Math.ceil(people / 10) + Math.ceil(people / 100);
  console.log(
    `source: ${fmt(people)} people, ${fmt(people * exchanges)} chat exchanges, ${fmt(sourceRows)} rows in all ` +
      `(${(fs.statSync(source.location).size / 2 ** 20).toFixed(0)} MB SQLite), generated in ${((performance.now() - generating) / 1000).toFixed(1)} s`,
  );
  const rows: string[][] = [];
  const sqliteDir = path.join(dir, 'target-sqlite');
  const targets: [string, Record<string, string>][] = [
    ['SQLite', { MOSAIC_DATA_DIR: sqliteDir }],
    ['PostgreSQL', { DATABASE_URL: await scratchDatabase('mosaic_bench_import') }],
  ];
  for (const [name, env] of targets) {
    const run = await measured(['import-legacy', '--from', source.location, '--uploads', uploads], env);
    console.log(`\n${name}:\n${run.stdout.trim()}`);
    const own = /in ([\d.]+) s \((\d+) rows\/s/.exec(run.stdout);
    const seconds = own ? Number(own[1]) : run.wallSeconds;
    const ok = run.wallSeconds <= TARGET_SECONDS && run.peakRssMb < TARGET_RSS_MB ? 'within target' : 'OVER TARGET';
    rows.push([`import-legacy → ${name}`, fmt(sourceRows / seconds), seconds.toFixed(1), run.wallSeconds.toFixed(1), run.peakRssMb.toFixed(0), ok]);
  }
  // The same data moved once more, by `db copy`: the imported SQLite database into PostgreSQL.
  const copyTarget = await scratchDatabase('mosaic_bench_import_copy');
  const copy = await measured(['db', 'copy', '--from', path.join(sqliteDir, 'mosaic.db'), '--to', copyTarget], {});
  const copied = /copied (\d+) rows in \d+ tables in ([\d.]+) s/.exec(copy.stdout);
  if (copied) rows.push([`db copy (imported SQLite → PostgreSQL, ${fmt(Number(copied[1]))} rows)`, fmt(Number(copied[1]) / Number(copied[2])), Number(copied[2]).toFixed(1), copy.wallSeconds.toFixed(1), copy.peakRssMb.toFixed(0), '']);
  console.log(`\ntarget: ≤ ${TARGET_SECONDS} s wall and < ${TARGET_RSS_MB} MB peak RSS for the import\n`);
  console.log('| step | rows/s | own s | wall s (with start-up) | peak RSS MB | |');
  console.log('| --- | ---: | ---: | ---: | ---: | --- |');
  for (const row of rows) console.log(`| ${row.join(' | ')} |`);
  await source.drop();
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
  await adminQuery('drop database if exists mosaic_bench_import with (force)').catch(() => {});
  await adminQuery('drop database if exists mosaic_bench_import_copy with (force)').catch(() => {});
}
