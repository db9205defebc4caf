import { after, before, describe, type TestContext } from 'node:test';
import type { Browser } from 'playwright-core';
import type { Backend } from '../../db/connection.js';
import { BACKENDS, createTestDatabase, type TestDatabase } from '../databases.js';
import { startServerProcess, type ServerProcess } from '../server-process.js';
import { DESKTOP, openApp, type AppBrowser } from './app-page.js';
import { browserSkip, launchBrowser } from './chromium.js';
import { ensureWebBuild } from './web-build.js';

export interface BrowserBackend {
  backend: Backend;
  /** The live `mosaic serve` process (replaced by `restart`). */
  server: ServerProcess;
  database: TestDatabase;
  /** A fresh browser context on this backend's server, request guard on. */
  open(viewport?: { width: number; height: number }): Promise<AppBrowser>;
  /** Runs `test` in a fresh context; on failure keeps screenshots of its pages; always closes it. */
  withApp(test: TestContext, run: (app: AppBrowser) => Promise<void>, viewport?: { width: number; height: number }): Promise<void>;
  /** SIGKILLs the server and starts a new one on the same database and port. */
  killAndRestart(): Promise<void>;
  /** SIGKILLs the server, runs `run` while nothing listens, then starts it again on the same port. */
  withServerDown(run: () => Promise<void>): Promise<void>;
}

/** Runs `run`; when it fails, keeps screenshots of the context's pages, then rethrows. */
export async function keepingFailures(app: AppBrowser, test: TestContext, run: () => Promise<void>): Promise<void> {
  try {
    await run();
  } catch (error) {
    await app.recordFailure(test.name);
    throw error;
  }
}

/**
 * One Chromium for the whole file and, per backend, a real `mosaic serve` process on a fresh
 * database; `body` declares the tests for one backend. Skipped (one reason) without Chromium.
 */
export function describeInBrowser(
  title: string,
  options: { serverEnv?: () => Record<string, string | undefined> },
  body: (backend: BrowserBackend) => void,
): void {
  describe(title, { skip: browserSkip() }, () => {
    let browser: Browser;
    before(async () => {
      ensureWebBuild();
      browser = await launchBrowser();
    });
    after(async () => {
      await browser?.close();
    });

    for (const backend of BACKENDS) {
      describe(backend, () => {
        const suite = { backend } as BrowserBackend;
        const env = () => options.serverEnv?.() ?? {};
        before(async () => {
          suite.database = await createTestDatabase(backend);
          suite.server = await startServerProcess(suite.database, env());
        });
        after(async () => {
          await suite.server?.stop();
          await suite.database?.drop();
        });
        suite.open = (viewport = DESKTOP) => openApp(browser, suite.server.url, { label: backend, viewport });
        suite.withApp = async (test, run, viewport) => {
          const app = await suite.open(viewport);
          try {
            await keepingFailures(app, test, () => run(app));
          } finally {
            await app.close();
          }
        };
        const kill = async () => {
          const signal = await suite.server.stop('SIGKILL');
          if (signal !== 'SIGKILL') throw new Error(`the server ended with ${signal}, not by SIGKILL`);
        };
        const restart = async () => {
          suite.server = await startServerProcess(suite.database, env(), suite.server.port);
        };
        suite.killAndRestart = async () => {
          await kill();
          await restart();
        };
        suite.withServerDown = async (run) => {
          await kill();
          try {
            await run();
          } finally {
            await restart();
          }
        };
        body(suite);
      });
    }
  });
}
