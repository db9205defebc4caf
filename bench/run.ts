// `npm run bench`: each scenario against a real server process on each backend, next to a
// ceiling measured in the same run (the same work straight through the driver, or an empty
// Fastify route), printed with the ratio. BENCH_BACKENDS, BENCH_CONNECTIONS, BENCH_DURATION
// (seconds) tune it; PostgreSQL comes from TEST_DATABASE_URL (default: the local server).
import os from 'node:os';
import type { Backend } from '../src/db/connection.js';
import { CONNECTIONS, DURATION_SECONDS, loadRoute, printRows, withBackend, withEmptyServer, type Row } from './lib.js';
import { benchAuthMe, benchLoginTiming } from './scenarios/auth-me.js';
import { benchChatPage } from './scenarios/chat-page.js';
import { benchFiles } from './scenarios/files.js';
import { benchMatchRefresh } from './scenarios/match-refresh.js';
import { benchPs101Autosave } from './scenarios/ps101-autosave.js';

process.env.TEST_DATABASE_URL ??= 'postgres://postgres@127.0.0.1:5432/postgres';
const backends = (process.env.BENCH_BACKENDS ?? 'sqlite,postgres').split(',') as Backend[];

console.log(
  `Mosaic benchmark: ${os.cpus().length} cores (${os.cpus()[0]?.model.trim()}), Node ${process.version}, ` +
    `${CONNECTIONS} connections, ${DURATION_SECONDS} s per measurement\n`,
);

const rows: Row[] = [];
const notes: string[] = [];
const { empty, megabyte } = await withEmptyServer(async (url) => ({
  empty: await loadRoute(url, { path: '/empty' }),
  megabyte: await loadRoute(url, { path: '/megabyte' }),
}));
console.log(`empty Fastify route: ${Math.round(empty.rps)} req/s, p99 ${empty.p99Ms} ms (HTTP stack ceiling)`);
console.log(`Fastify route sending 1 MB from memory: ${Math.round(megabyte.rps)} req/s, p99 ${megabyte.p99Ms} ms (download ceiling)\n`);

for (const backend of backends) {
  await withBackend(backend, async (b) => {
    for (const scenario of [benchAuthMe, benchPs101Autosave, benchChatPage]) {
      const row = await scenario(b);
      rows.push(row);
      console.log(`${backend}: ${row.scenario} done`);
    }
    const files = await benchFiles(b);
    rows.push(...files.rows);
    notes.push(...files.notes);
    console.log(`${backend}: files done`);
    notes.push(await benchMatchRefresh(b));
    notes.push(await benchLoginTiming(b));
    console.log(`${backend}: match refresh done`);
  });
}

console.log('');
printRows(rows);
console.log('');
// Uploads have no fair HTTP-stack ceiling here (autocannon sending 1 MB bodies); they are
// compared with the driver insert only.
for (const row of rows.filter((r) => !r.scenario.startsWith('POST /api/files'))) {
  const download = row.scenario.startsWith('GET /api/files/');
  const ceiling = download ? megabyte : empty;
  console.log(`${row.backend} ${row.scenario}: ${(row.route.rps / ceiling.rps).toFixed(2)} of the ${download ? '1 MB' : 'empty'} Fastify route`);
}
console.log('');
for (const note of notes) console.log(note);
