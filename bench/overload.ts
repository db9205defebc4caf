// `npm run bench:overload`: offers 2× and 3× the sustainable rate of the heaviest route to a
// real server process, with the production load-shedding defaults and without, and prints the
// goodput against the best unshedded goodput, the admitted requests' latency, the share shed,
// and how soon the server is back to normal. BENCH_BACKENDS (default sqlite,postgres),
// BENCH_OVERLOAD_FACTORS (2,3), BENCH_OVERLOAD_SECONDS, BENCH_OVERLOAD_CONNECTIONS tune it.
import os from 'node:os';
import type { Backend } from '../src/db/connection.js';
import { benchOverload } from './scenarios/overload.js';

process.env.TEST_DATABASE_URL ??= 'postgres://postgres@127.0.0.1:5432/postgres';
const backends = (process.env.BENCH_BACKENDS ?? 'sqlite,postgres').split(',') as Backend[];

console.log(`Mosaic overload benchmark: ${os.cpus().length} cores, Node ${process.version}\n`);
for (const backend of backends) {
  for (const line of await benchOverload(backend)) console.log(line);
}
