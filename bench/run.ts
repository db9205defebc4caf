// `npm run bench`: each scenario against a real `mosaic serve` process (the compiled build, as
// production runs it) on each backend, next to a ceiling measured in the same run (the same
// statements straight through the driver, or a bare Fastify route), at each concurrency of
// BENCH_CONNECTIONS (default 20,50). Prints one table and writes it to bench/results/latest.json.
// BENCH_BACKENDS, BENCH_SCENARIOS (comma-separated names below), BENCH_DURATION (seconds)
// tune it; PostgreSQL comes from TEST_DATABASE_URL (default: the local server).
import os from 'node:os';
import type { Backend } from '../src/db/connection.js';
import { withBackend, withEmptyServer, type BenchBackend } from './backends.js';
import { LOAD_CPU, pinProcess } from './cpu.js';
import { loadDownload, loadRoute, measureReplay } from './load.js';
import { CONNECTION_LEVELS, DURATION_SECONDS, type Measurement } from './settings.js';
import { format, printRows, writeResults, type Row } from './report.js';
import { processMemoryMb } from './proc.js';
import { benchAuthMe, benchLoginTiming } from './scenarios/auth-me.js';
import { benchChatPage } from './scenarios/chat-page.js';
import { benchChatWrite } from './scenarios/chat-write.js';
import { benchFiles, DOWNLOAD_BYTES } from './scenarios/files.js';
import { benchLists } from './scenarios/lists.js';
import { benchLoginStorm } from './scenarios/login-storm.js';
import { benchMatchRefresh } from './scenarios/match-refresh.js';
import { benchPs101Autosave } from './scenarios/ps101-autosave.js';

process.env.TEST_DATABASE_URL ??= 'postgres://postgres@127.0.0.1:5432/postgres';
const backends = (process.env.BENCH_BACKENDS ?? 'sqlite,postgres').split(',') as Backend[];

type Outcome = Row[] | { rows?: Row[]; notes?: string[] } | string;
const SCENARIOS: Record<string, (b: BenchBackend) => Promise<Outcome>> = {
  'idle-rss': async (b) => {
    // Idle: started, migrated, one /health answered; nothing parsed or uploaded yet.
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const rss = processMemoryMb(b.server.child.pid!, 'VmRSS');
    return `${b.backend}: idle server RSS after start ${rss.toFixed(0)} MB (target ≤ 100 MB on SQLite)`;
  },
  'auth-me': benchAuthMe,
  'ps101-autosave': benchPs101Autosave,
  'chat-page': benchChatPage,
  'chat-write': benchChatWrite,
  lists: benchLists,
  files: benchFiles,
  'login-storm': benchLoginStorm,
  'match-refresh': benchMatchRefresh,
  'login-timing': benchLoginTiming,
};
const selected = process.env.BENCH_SCENARIOS ? process.env.BENCH_SCENARIOS.split(',').map((s) => s.trim()) : Object.keys(SCENARIOS);
const unknown = selected.filter((name) => !(name in SCENARIOS));
if (unknown.length > 0) {
  console.error(`bench: unknown scenario ${unknown.join(', ')}; known: ${Object.keys(SCENARIOS).join(', ')}`);
  process.exit(2);
}

const pinned = pinProcess(process.pid, LOAD_CPU);
const machine =
  `${os.cpus().length} cores (${os.cpus()[0]?.model.trim()}), Node ${process.version}, ` +
  `${CONNECTION_LEVELS.join(' and ')} connections, ${DURATION_SECONDS} s per measurement, ` +
  (pinned ? 'server pinned to CPU 0, load generator and driver ceilings to CPU 1' : 'no taskset: processes not pinned');
console.log(`Mosaic benchmark: ${machine}\n`);

const rows: Row[] = [];
const notes: string[] = [];
const empty = new Map<number, Measurement>();
const megabyte = new Map<number, Measurement>();
// The bare server stays up for the whole run: after each scenario, each read route's answer is
// replayed from it (the "of same bytes" column).
await withEmptyServer(DOWNLOAD_BYTES, async (bareUrl) => {
  for (const connections of CONNECTION_LEVELS) {
    empty.set(connections, await loadRoute(bareUrl, { path: '/empty' }, connections));
    // The same body-discarding client as the download route it is the ceiling of.
    megabyte.set(connections, await loadDownload(bareUrl, { path: '/megabyte', expectedBytes: DOWNLOAD_BYTES.length }, connections));
    console.log(
      `bare Fastify at ${connections} connections: empty route ${Math.round(empty.get(connections)!.rps)} req/s, ` +
        `1 MB route ${Math.round(megabyte.get(connections)!.rps)} req/s`,
    );
  }

  for (const backend of backends) {
    await withBackend(backend, async (b) => {
      for (const name of selected) {
        const started = Date.now();
        const outcome = await SCENARIOS[name]!(b);
        const added: Row[] = [];
        if (typeof outcome === 'string') notes.push(outcome);
        else if (Array.isArray(outcome)) added.push(...outcome);
        else {
          added.push(...(outcome.rows ?? []));
          notes.push(...(outcome.notes ?? []));
        }
        for (const row of added) {
          const replay = await measureReplay(bareUrl, b.server.url, row);
          if (replay) row.replay = replay;
        }
        rows.push(...added);
        console.log(`${backend}: ${name} done (${((Date.now() - started) / 1000).toFixed(0)} s)`);
      }
    });
  }
});

// Uploads have no fair HTTP-stack ceiling here (the load generator sending 1 MB bodies).
for (const row of rows) {
  if (row.scenario.startsWith('POST /api/files') || row.ceilingName === '(itself)') continue;
  const bare = row.scenario.startsWith('GET /api/files/') ? megabyte : empty;
  const fastify = bare.get(row.connections);
  // The download scenario measures its own bare route, alternating with it (see files.ts).
  if (fastify && !row.fastify) row.fastify = fastify;
}

// Issue 12 holds two routes to the predecessor's figures, measured on the same PostgreSQL:
// chat write 164 req/s and history read 333 req/s (the latter with pool-exhaustion 500s).
// History read is the chat page of the person with the most messages.
const PREDECESSOR = [
  { what: 'chat write', scenario: 'POST /api/chat/messages (offline coach)', rps: 164, factor: 10 },
  { what: 'history read', scenario: 'GET /api/chat/messages (50 of 100,000)', rps: 333, factor: 20 },
];
for (const target of PREDECESSOR) {
  for (const row of rows.filter((r) => r.backend === 'postgres' && r.scenario === target.scenario)) {
    const times = row.route.rps / target.rps;
    const met = times >= target.factor && row.route.errors === 0;
    notes.push(
      `postgres: ${target.what} at ${row.connections} connections: ${format(row.route.rps)} req/s, ${times.toFixed(1)}× the predecessor's ` +
        `${target.rps} req/s (target ≥ ${target.factor}×, ${format(target.rps * target.factor)} req/s, with 0 errors), ` +
        `${row.route.errors} errors: ${met ? 'met' : 'MISSED'}`,
    );
  }
}

console.log('');
printRows(rows);
console.log('\n"ratio" is route/ceiling; "of Fastify" is route/bare Fastify route (empty, or 1 MB for downloads); "of same bytes" is route/bare Fastify sending this route\'s own answer; "of bound" is route/the rate of sending that answer and running the ceiling\'s statements one after the other on one core (a target\'s "bound" is that rate as a share of Fastify\'s); all at the same concurrency.\n');
for (const note of notes) console.log(note);
const file = new URL('./results/latest.json', import.meta.url).pathname;
writeResults(file, { machine, rows, notes });
console.log(`\nwritten to ${file}`);
