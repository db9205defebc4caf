// `npm run bench:instructions -- [path …]`: the user-space instructions a real `mosaic serve`
// process (the compiled build, on SQLite) spends per request on each path, counted by
// valgrind's callgrind, next to bare Fastify's empty route. Throughput on this shared 2-core
// machine moves by 20–40 % between minutes; an instruction count run alone repeats within
// ~0.5 % for the same build, so a change of a few per cent in one route's work shows up at
// once. Run nothing else meanwhile (not even a second copy): under valgrind a request takes
// ~50× longer, so work paced by the clock (timers, samplers, V8's background threads) would be
// counted per request in proportion to how slowly the requests go; the `net` column subtracts
// it (the rate counted while idle). It does not count the kernel (socket writes, waking the
// client) or cache misses: `npm run bench` remains the judge, this is the instrument for
// finding where the work goes. Needs valgrind (`apt-get install valgrind`). BENCH_REQUESTS
// (default 5,000) requests are counted per path, after 3,000 uncounted on every path, twice
// round, to let V8 optimize the code they share.
//
// BENCH_PROFILE=1 also prints, for each path, the functions that spent the most instructions
// per request, JavaScript ones by name (the server runs with `--perf-basic-prof`; see
// `callgrind-functions.ts`).
//
// A run now and then counts 25–50k more a request on some path, the empty route included: V8
// takes its slow path for the objects Node's `process.nextTick` builds (~27 a request, in
// Node's streams; `DefineKeyedOwnPropertyInLiteral` and map migrations), a state of V8's that
// comes and goes. Compare builds on runs that agree, or rerun.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import autocannon from 'autocannon';
import { createTestDatabase } from '../src/testing/databases.js';
import { freePort } from '../src/testing/ports.js';
import { RATE_LIMITS_RAISED } from '../src/testing/rate-limits.js';
import { databaseEnv, HttpClient, startServerProcess } from '../src/testing/server-process.js';
import { topFunctions } from './callgrind-functions.js';
import { PRODUCTION_RUN_ENV } from './backends.js';
import { format } from './report.js';

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 5000);
const WARM_UP = 3000;
const IDLE_MS = 10_000;
const SETTLE_MS = 10_000;
const PROFILE = process.env.BENCH_PROFILE === '1';
/** For BENCH_PROFILE: each counted path's dump, kept for naming its functions. */
const profiles: { route: string; dump: string; requests: number }[] = [];
const paths = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ['/api/auth/me', '/api/ps101', '/api/files', '/api/resumes', '/api/jobs/matches', '/api/chat/messages'];
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'mosaic-instructions-'));
// vgdb finds a valgrind process by files named after USER and HOST (which Mosaic reads as
// its listening address): both processes must see the same values.
const vgdbEnv = { USER: 'bench', LOGNAME: 'bench', HOST: '127.0.0.1' };

function vgdb(pid: number, command: string): void {
  execFileSync('vgdb', [`--vgdb-prefix=${work}/vgdb`, `--pid=${pid}`, ...command.split(' ')], { env: { ...process.env, ...vgdbEnv }, stdio: 'ignore' });
}

/** Starts `node args` under callgrind with counting off; resolves once `probe` answers 200. */
async function underCallgrind(name: string, args: string[], env: Record<string, string>, probe: string) {
  const child = spawn(
    'valgrind',
    ['--tool=callgrind', '--instr-atstart=no', '--vgdb=yes', `--vgdb-prefix=${work}/vgdb`, `--callgrind-out-file=${work}/${name}.out`, process.execPath, ...args],
    { env: { ...process.env, ...env, ...vgdbEnv }, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let log = '';
  child.stderr!.on('data', (chunk) => (log = (log + chunk).slice(-4000)));
  for (const started = Date.now(); ; ) {
    if (child.exitCode !== null) throw new Error(`${name} exited under valgrind:\n${log}`);
    const answer = await fetch(probe).catch(() => undefined);
    if (answer?.status === 200) break;
    if (Date.now() - started > 300_000) throw new Error(`${name} did not answer under valgrind:\n${log}`);
    await sleep(500);
  }
  return child;
}

/** Instructions counted since the last dump (all threads together); a dump zeroes the counts. */
function dumpCount(child: ChildProcess, name: string): number {
  for (const file of fs.readdirSync(work).filter((f) => f.startsWith(`${name}.out.`))) fs.rmSync(path.join(work, file));
  vgdb(child.pid!, 'dump');
  let total = 0;
  for (const file of fs.readdirSync(work).filter((f) => f.startsWith(`${name}.out.`))) {
    total += Number(/^totals:\s+(\d+)/m.exec(fs.readFileSync(path.join(work, file), 'utf8'))?.[1] ?? 0);
  }
  return total;
}

/**
 * Instructions per millisecond with no requests at all, counted for IDLE_MS. Work paced by the
 * clock (load shedding's samplers, the metrics' event-loop monitor) runs as often under load,
 * and under valgrind a request takes ~50× longer than natively, so it would be counted at ~50×
 * its share of each request: `net` below leaves it out.
 */
async function idleRate(child: ChildProcess, name: string): Promise<number> {
  // First let V8's background compilers finish what the warm-up queued: that is not clock work.
  await sleep(SETTLE_MS);
  dumpCount(child, name);
  vgdb(child.pid!, 'instrumentation on');
  await sleep(IDLE_MS);
  vgdb(child.pid!, 'instrumentation off');
  return dumpCount(child, name) / IDLE_MS;
}

/** Instructions per request on `url` (warmed up already): REQUESTS requests counted alone. */
async function instructionsPerRequest(child: ChildProcess, name: string, url: string, headers: Record<string, string>, idlePerMs: number) {
  dumpCount(child, name);
  vgdb(child.pid!, 'instrumentation on');
  const started = Date.now();
  const result = await autocannon({ url, connections: 10, amount: REQUESTS, headers, timeout: 120 });
  const elapsed = Date.now() - started;
  vgdb(child.pid!, 'instrumentation off');
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${url}: ${result.non2xx} non-2xx answers, ${result.errors} errors`);
  const counted = dumpCount(child, name);
  if (PROFILE && name === 'mosaic') {
    const dump = path.join(work, `profile-${profiles.length}.out`);
    fs.copyFileSync(path.join(work, fs.readdirSync(work).find((f) => f.startsWith(`${name}.out.`))!), dump);
    profiles.push({ route: url, dump, requests: result.requests.total });
  }
  return { gross: counted / result.requests.total, net: (counted - idlePerMs * elapsed) / result.requests.total };
}

/** WARM_UP uncounted requests on each URL, twice round, so V8 has optimized what they run. */
async function warmUp(urls: string[], headers: Record<string, string>): Promise<void> {
  for (let round = 0; round < 2; round++) {
    for (const url of urls) await autocannon({ url, connections: 10, amount: WARM_UP, headers, timeout: 120 });
  }
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

const database = await createTestDatabase('sqlite');
// Under callgrind every delay is ~50× longer than it would be: the loop's delay says nothing
// about load there, so the queueing-delay limit is off for this count of instructions only.
const env = { PRESSURE_MAX_QUEUE_MS: '0', ...RATE_LIMITS_RAISED, PURGE_INTERVAL_SECONDS: '0', MAX_CONNECTIONS_PER_ADDRESS: '0', LOG_LEVEL: 'warn' };
// One person with something on every list, set up through a normal server.
const setup = await startServerProcess(database, env);
const person = new HttpClient(setup.url);
for (const [method, route, body] of [
  ['POST', '/api/auth/register', { email: `instructions-${Date.now()}@example.org`, password: 'bench password 123' }],
  ['PUT', '/api/ps101', { answers: { '1.1': 'I want work that uses what I know about people and data.' }, revision: 0 }],
  ['POST', '/api/chat/messages', { content: 'I would like to move from teaching into data analysis.' }],
] as const) {
  const answer = await person.request(method, route, body);
  if (answer.status >= 300) throw new Error(`${method} ${route}: ${answer.status}`);
}
await setup.stop();
const headers = { cookie: person.cookie };

const rows: [string, { gross: number; net: number }][] = [];
try {
  const barePort = await freePort();
  const bare = await underCallgrind('bare', ['--import', 'tsx', 'bench/empty-server.ts'], { PORT: String(barePort), NODE_OPTIONS: PRODUCTION_RUN_ENV.NODE_OPTIONS }, `http://127.0.0.1:${barePort}/empty`);
  try {
    await warmUp([`http://127.0.0.1:${barePort}/empty`], {});
    const idle = await idleRate(bare, 'bare');
    rows.push(['bare Fastify, empty route', await instructionsPerRequest(bare, 'bare', `http://127.0.0.1:${barePort}/empty`, {}, idle)]);
  } finally {
    await stop(bare);
  }
  const port = await freePort();
  const serverEnv = { ...env, ...databaseEnv(database), ...PRODUCTION_RUN_ENV, PORT: String(port) };
  // --perf-basic-prof writes the JIT code's names to /tmp/perf-<pid>.map; V8's log goes to `work`.
  const profileFlags = PROFILE ? ['--perf-basic-prof', `--logfile=${work}/v8.log`] : [];
  const server = await underCallgrind('mosaic', [...profileFlags, 'bin/mosaic.js', 'serve'], serverEnv, `http://127.0.0.1:${port}/health`);
  try {
    // Every path first, so the code they share is optimized before any of them is counted.
    await warmUp(paths.map((route) => `http://127.0.0.1:${port}${route}`), headers);
    const idle = await idleRate(server, 'mosaic');
    for (const route of paths) {
      rows.push([`GET ${route}`, await instructionsPerRequest(server, 'mosaic', `http://127.0.0.1:${port}${route}`, headers, idle)]);
      console.log(`  ${route} done`);
    }
  } finally {
    await stop(server);
  }
  if (PROFILE) {
    const perfMap = `/tmp/perf-${server.pid}.map`;
    for (const { route, dump, requests } of profiles) {
      console.log(`\n${route}: instructions per request by function (own, not callees'), top 30`);
      for (const { name, instructions } of topFunctions(dump, perfMap, 30)) {
        console.log(`  ${format(instructions / requests, 0).padStart(7)}  ${name.slice(0, 150)}`);
      }
    }
    fs.rmSync(perfMap, { force: true });
  }
} finally {
  await database.drop();
  fs.rmSync(work, { recursive: true, force: true });
}
const empty = rows[0]![1].net;
console.log(`\ninstructions per request (user space, callgrind; ${format(REQUESTS)} counted per path after 2 × ${format(WARM_UP)} on each;`);
console.log(`net: less the work paced by the clock, the rate counted over ${format(IDLE_MS / 1000)} s idle times the time counted):`);
console.log(`  ${'path'.padEnd(28)} ${'gross'.padStart(9)} ${'net'.padStart(9)}   net against the empty route's`);
for (const [name, { gross, net }] of rows) {
  console.log(`  ${name.padEnd(28)} ${format(gross / 1000, 1).padStart(7)} k ${format(net / 1000, 1).padStart(7)} k   ${format(net / empty, 2)}×`);
}
