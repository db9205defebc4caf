// `npm run bench:copy`: times `mosaic db copy` from SQLite to PostgreSQL next to the ceiling,
// PostgreSQL's own COPY FROM STDIN of the same rows (pre-rendered, read from the same SQLite
// file) into an identical empty schema, in the same run; and pgloader where installed.
// BENCH_DATABASE_URL: an admin URL to create scratch databases (default local postgres).
// BENCH_ROWS: chat messages per run, comma-separated (default 250000,1000000).
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { openDatabase } from '../src/db/connection.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { copyDatabase } from '../src/datacopy/copy.js';
import { processMemoryMb } from './proc.js';
import { ADMIN_URL, adminQuery, scratchDatabase } from './scratch-databases.js';

const sizes = (process.env.BENCH_ROWS ?? '250000,1000000').split(',').map((n) => Number(n.trim()));

const WORDS = 'career change coach values skills interview design teaching data empathy plan next step résumé 🎯'.split(' ');

/** A SQLite file like production's: users, their sessions, and their chat messages. */
async function generate(file: string, messages: number) {
  const opened = openDatabase({ backend: 'sqlite', file, synchronous: 'normal' });
  await migrateToLatest(opened.db);
  await opened.close();
  const db = new BetterSqlite3(file);
  db.pragma('synchronous = OFF');
  const users = Math.max(1, Math.floor(messages / 100));
  const sessions = users * 2;
  const base = Date.UTC(2025, 0, 1);
  const iso = (i: number) => new Date(base + i * 997).toISOString();
  db.transaction(() => {
    const user = db.prepare('insert into users (id, email, password_hash, created_at, updated_at, last_active_at) values (?, ?, ?, ?, ?, ?)');
    for (let i = 1; i <= users; i++) user.run(i, `user${i}@example.org`, `$argon2id$v=19$m=19456,t=2,p=1$${i}`, iso(i), iso(i), iso(i));
    const session = db.prepare('insert into sessions (id, user_id, token_hash, created_at, expires_at, refreshed_at, user_agent, ip) values (?, ?, ?, ?, ?, ?, ?, ?)');
    for (let i = 1; i <= sessions; i++) {
      session.run(i, ((i - 1) % users) + 1, i.toString(16).padStart(64, '0'), iso(i), iso(i + 1e6), iso(i), 'Mozilla/5.0 (X11; Linux x86_64)', '203.0.113.7');
    }
    const message = db.prepare('insert into chat_messages (id, user_id, role, content, provider, created_at) values (?, ?, ?, ?, ?, ?)');
    for (let i = 1; i <= messages; i++) {
      const words = Array.from({ length: 12 + (i % 40) }, (_, j) => WORDS[(i * 7 + j * 13) % WORDS.length]).join(' ');
      const coach = i % 2 === 0;
      message.run(i, ((i - 1) % users) + 1, coach ? 'coach' : 'user', coach ? `${words}.\n\tNext:\t${words}` : words, coach ? 'offline' : null, iso(i));
    }
  })();
  db.close();
  return { users, sessions, messages, total: users + sessions + messages };
}

/** Peak resident memory while `run` runs, sampled every 100 ms. */
const HEAP_CAP_MB = 96;

interface Measured {
  seconds: number;
  peakRssMb: number;
}

/**
 * Runs one measured step (`copy` or `ceiling`) in a child process of its own, so its peak
 * memory (the kernel's high-water mark, polled) is its own and not the generator's or the
 * other step's. The child reports the seconds the step itself took, without start-up.
 */
async function measuredInChild(step: 'copy' | 'ceiling', file: string, url: string): Promise<Measured> {
  // The old generation is capped: a step whose memory grew with the row count would run out
  // at a million rows instead of merely looking large because V8 collects lazily.
  const child = spawn(process.execPath, [`--max-old-space-size=${HEAP_CAP_MB}`, '--import', 'tsx', fileURLToPath(import.meta.url), step, file, url], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let peak = 0;
  const timer = setInterval(() => (peak = Math.max(peak, processMemoryMb(child.pid!, 'VmHWM'))), 50);
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  const [code] = (await once(child, 'exit')) as [number | null];
  clearInterval(timer);
  if (code !== 0) throw new Error(`${step} failed (${code})`);
  return { seconds: JSON.parse(output).seconds, peakRssMb: peak };
}

const escape = (text: string) => (/[\\\n\r\t]/.test(text) ? text.replace(/[\\\n\r\t]/g, (c) => (c === '\\' ? '\\\\' : c === '\n' ? '\\n' : c === '\r' ? '\\r' : '\\t')) : text);

/** The ceiling: the same rows straight from SQLite into COPY, no checks, one COPY per table. */
async function ceiling(file: string, url: string): Promise<void> {
  const opened = openDatabase({ backend: 'postgres', url, poolMax: 1, statementTimeoutMs: 0 });
  await migrateToLatest(opened.db);
  await opened.close();
  const source = new BetterSqlite3(file, { readonly: true });
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('begin');
    for (const table of ['users', 'sessions', 'chat_messages']) {
      const columns = (source.prepare(`select name from pragma_table_info(?)`).pluck().all(table) as string[]).map((c) => `"${c}"`);
      const stream = client.query(copyFrom(`copy ${table} (${columns.join(', ')}) from stdin`));
      const done = new Promise<void>((resolve, reject) => stream.on('finish', resolve).on('error', reject));
      let chunk = '';
      for (const row of source.prepare(`select ${columns.join(', ')} from ${table}`).raw(true).iterate() as IterableIterator<unknown[]>) {
        chunk += row.map((v) => (v === null ? '\\N' : typeof v === 'string' ? escape(v) : String(v))).join('\t') + '\n';
        if (chunk.length > 1 << 20) {
          if (!stream.write(chunk)) await once(stream, 'drain');
          chunk = '';
        }
      }
      stream.end(chunk);
      await done;
    }
    await client.query('commit');
  } finally {
    await client.end();
    source.close();
  }
}

function pgloader(file: string, url: string): number | string {
  const which = spawnSync('which', ['pgloader']);
  if (which.status !== 0) return 'not installed';
  const started = performance.now();
  const run = spawnSync('pgloader', ['--quiet', file, url], { encoding: 'utf8', timeout: 600_000 });
  if (run.status !== 0) return `failed (${run.status}): ${(run.stderr || run.stdout).trim().split('\n').slice(-2).join(' ')}`;
  return (performance.now() - started) / 1000;
}

/** The copy really wrote every row (counted in the target, not taken from the copy's word). */
async function checkCopied(url: string, expected: number): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query(
      'select (select count(*) from users) + (select count(*) from sessions) + (select count(*) from chat_messages) as n',
    );
    if (Number(rows[0].n) !== expected) throw new Error(`the copy holds ${rows[0].n} rows, expected ${expected}`);
  } finally {
    await client.end();
  }
}

const rate = (rows: number, seconds: number) => `${Math.round(rows / seconds).toLocaleString('en-US')} rows/s`;

/** Generation runs in a child process, so its memory does not count against the copy's. */
function generateInChild(file: string, messages: number): { users: number; sessions: number; messages: number; total: number; seconds: number } {
  const run = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), 'generate', file, String(messages)], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (run.status !== 0) throw new Error(`generating the SQLite database failed (${run.status})`);
  return JSON.parse(run.stdout);
}

if (process.argv[2] === 'copy' || process.argv[2] === 'ceiling') {
  const [, , step, file, url] = process.argv as [string, string, string, string, string];
  const started = performance.now();
  if (step === 'copy') await copyDatabase({ from: file, to: url });
  else await ceiling(file, url);
  process.stdout.write(JSON.stringify({ seconds: (performance.now() - started) / 1000 }));
  process.exit(0);
}

if (process.argv[2] === 'generate') {
  const started = performance.now();
  const counts = await generate(process.argv[3]!, Number(process.argv[4]));
  process.stdout.write(JSON.stringify({ ...counts, seconds: (performance.now() - started) / 1000 }));
  process.exit(0);
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mosaic-bench-copy-'));
console.log(`machine: ${os.cpus().length} cores (${os.cpus()[0]?.model.trim()}), Node ${process.version}, PostgreSQL at ${new URL(ADMIN_URL).host}`);
try {
  for (const size of sizes) {
    const file = path.join(dir, `bench-${size}.db`);
    const counts = generateInChild(file, size);
    console.log(`\n${counts.messages.toLocaleString('en-US')} chat messages, ${counts.users} users, ${counts.sessions} sessions (${counts.total.toLocaleString('en-US')} rows, ${(fs.statSync(file).size / 2 ** 20).toFixed(0)} MB SQLite) generated in ${counts.seconds.toFixed(1)} s`);
    // Each side twice, alternating, into fresh databases; the faster run of each counts, so
    // neither pays alone for PostgreSQL's checkpoints or a cold cache.
    const runs: Record<'copy' | 'ceiling', Measured[]> = { copy: [], ceiling: [] };
    for (let round = 0; round < 2; round++) {
      for (const step of ['ceiling', 'copy'] as const) {
        const url = await scratchDatabase(`mosaic_bench_${step}_${process.pid}`);
        runs[step].push(await measuredInChild(step, file, url));
        if (step === 'copy' && round === 0) await checkCopied(url, counts.total);
        await adminQuery(`drop database if exists mosaic_bench_${step}_${process.pid} with (force)`);
      }
    }
    const best = (list: Measured[]) => list.reduce((a, b) => (b.seconds < a.seconds ? b : a));
    const copy = best(runs.copy);
    const top = best(runs.ceiling);
    const peak = (list: Measured[]) => Math.max(...list.map((m) => m.peakRssMb)).toFixed(0);
    console.log(`  mosaic db copy : ${copy.seconds.toFixed(2)} s, ${rate(counts.total, copy.seconds)}, process peak RSS ${peak(runs.copy)} MB`);
    console.log(`  COPY ceiling   : ${top.seconds.toFixed(2)} s, ${rate(counts.total, top.seconds)}, process peak RSS ${peak(runs.ceiling)} MB`);
    console.log(`  ratio copy/ceiling: ${(top.seconds / copy.seconds).toFixed(2)} (each step in its own process, V8 old space capped at ${HEAP_CAP_MB} MB)`);
    const loaderUrl = await scratchDatabase(`mosaic_bench_pgloader_${process.pid}`);
    const loader = pgloader(file, loaderUrl);
    console.log(`  pgloader: ${typeof loader === 'number' ? `${loader.toFixed(2)} s, ${rate(counts.total, loader)}` : loader}`);
    for (const name of ['pgloader']) await adminQuery(`drop database if exists mosaic_bench_${name}_${process.pid} with (force)`);
    fs.rmSync(file, { force: true });
  }
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
