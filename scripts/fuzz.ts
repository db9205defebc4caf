// `npm run fuzz [-- --seed N --requests N]`: sends a seeded, bounded series of hostile requests
// to every route of a fresh in-process Mosaic on each backend (FUZZ_BACKENDS or TEST_BACKENDS,
// default "sqlite,postgres"; PostgreSQL from TEST_DATABASE_URL), prints counts per route and
// status, and exits 1 if any answer was a 5xx, carried a stack trace or left the error shape.
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import type { Backend } from '../src/db/connection.js';
import { formatReport, fuzzBackend } from '../src/testing/fuzz.js';

const { values } = parseArgs({
  options: { seed: { type: 'string', default: '20261125' }, requests: { type: 'string', default: '4000' } },
});
const seed = Number(values.seed);
const requests = Number(values.requests);
if (!Number.isInteger(seed) || !Number.isInteger(requests) || requests < 1 || requests > 1_000_000) {
  console.error('fuzz: --seed and --requests must be whole numbers (requests 1 to 1,000,000)');
  process.exit(2);
}
const backends = (process.env.FUZZ_BACKENDS ?? process.env.TEST_BACKENDS ?? 'sqlite,postgres')
  .split(',')
  .map((name) => name.trim())
  .filter((name): name is Backend => name === 'sqlite' || name === 'postgres');
if (backends.includes('postgres') && !process.env.TEST_DATABASE_URL) {
  console.error('fuzz: set TEST_DATABASE_URL to a PostgreSQL admin URL (a database is created and dropped), or FUZZ_BACKENDS=sqlite');
  process.exit(2);
}

/** A bar with rate and ETA on a terminal; a plain line every 5 s otherwise. */
function progress(label: string) {
  const started = performance.now();
  if (process.stderr.isTTY) {
    const bar = new cliProgress.SingleBar(
      { stream: process.stderr, format: `${label} [{bar}] {value}/{total} requests | {rate} req/s | ETA {eta_formatted}`, hideCursor: true },
      cliProgress.Presets.shades_classic,
    );
    let begun = false;
    return {
      update(done: number, total: number) {
        if (!begun) bar.start(total, 0, { rate: 0 });
        begun = true;
        bar.update(done, { rate: Math.round(done / ((performance.now() - started) / 1000)) });
      },
      stop: () => bar.stop(),
    };
  }
  let last = started;
  return {
    update(done: number, total: number) {
      const now = performance.now();
      if (now - last < 5000 && done < total) return;
      last = now;
      const rate = done / ((now - started) / 1000);
      console.error(`${label}: ${done}/${total} requests, ${Math.round(rate)} req/s, ETA ${Math.ceil((total - done) / rate)}s`);
    },
    stop: () => undefined,
  };
}

let failed = 0;
for (const [index, backend] of backends.entries()) {
  const bar = progress(`fuzz ${backend}`);
  const report = await fuzzBackend({ backend, seed: seed + index, requests, onProgress: bar.update });
  bar.stop();
  console.log(formatReport(report));
  failed += report.failures.length;
}
console.log(failed === 0 ? 'fuzz: every answer kept the contract' : `fuzz: ${failed} answers broke the contract`);
process.exit(failed === 0 ? 0 : 1);
