import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.js';
import { createCoachProvider } from '../coach/index.js';
import { openDatabase } from '../db/connection.js';
import { migrateToLatest, migrationStatus, SchemaTooNewError, type MigrationList } from '../db/migrate.js';
import { assertPersistentInProduction, assessPersistence } from '../db/persistence.js';
import { loggerOptions } from '../http/logging.js';
import { startPurgeTimer } from '../maintenance/purge.js';
import { buildServer } from '../server.js';

export interface RunningServer {
  app: FastifyInstance;
  url: string;
  close(): Promise<void>;
}

export interface StartOptions {
  /** The migrations to apply (tests inject a failing one); the production list by default. */
  migrations?: MigrationList;
}

/**
 * Opens the database, migrates it, and listens. Refuses ephemeral SQLite in production, and
 * refuses to listen when a migration fails (the error names it; the schema is left as it was).
 */
export async function startServer(config: Config, options: StartOptions = {}): Promise<RunningServer> {
  const persistence = assessPersistence(config);
  assertPersistentInProduction(config, persistence);
  const database = openDatabase(config.database);
  const ctx = { db: database.db, backend: database.backend, config, persistence, coach: createCoachProvider(config.coach) };
  const app = await buildServer(ctx, { logger: loggerOptions(config.logLevel) });
  if (config.trustProxy === true) {
    app.log.warn('TRUST_PROXY=true believes X-Forwarded-For from any client, which can then choose its own address for rate limits and sessions; set the hop count (e.g. 1) or the proxies\' addresses instead');
  }
  try {
    if (config.migrateOnStart) {
      const lockTimeoutMs = config.database.backend === 'postgres' ? config.database.migrationLockTimeoutMs : undefined;
      const results = await migrateToLatest(database.db, options.migrations, lockTimeoutMs ? { lockTimeoutMs } : {});
      for (const result of results) app.log.info({ migration: result.migrationName }, 'migration applied');
    }
    const status = await migrationStatus(database.db, options.migrations);
    if (status.unknown.length > 0) throw new SchemaTooNewError(status.unknown);
    if (status.pending.length > 0) {
      // MIGRATE_ON_START=false: the release step migrates; this build cannot run on the old schema.
      throw new Error(
        `${status.pending.length} migration(s) pending (${status.pending.join(', ')}) and MIGRATE_ON_START=false: ` +
          'run `mosaic db migrate` (over a direct DATABASE_URL) before starting',
      );
    }
    app.log.info(
      { backend: database.backend, database: database.location, schemaVersion: status.schemaVersion, persistence },
      `database: ${database.backend} at ${database.location}, schema version ${status.schemaVersion}`,
    );
    if (!persistence.persistent) app.log.warn(`data at ${config.dataDir} may not survive a redeploy: ${persistence.reason}`);
    await app.listen({ port: config.port, host: config.host });
    app.readiness.markReady();
  } catch (error) {
    await app.close();
    await database.close();
    throw error;
  }
  const stopPurge = startPurgeTimer(ctx, app.log);
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  let closing: Promise<void> | undefined;
  return {
    app,
    url: `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${port}`,
    close() {
      // Stop accepting, let requests in flight finish, then close the pool or the file.
      closing ??= (async () => {
        stopPurge();
        await app.close();
        await database.close();
      })();
      return closing;
    },
  };
}

/**
 * `mosaic serve`: runs until SIGTERM or SIGINT. SIGTERM (a deploy, a scale-down) drains first:
 * readiness answers 503 at once while the listener keeps serving for SHUTDOWN_DRAIN_SECONDS,
 * every answer asking its client to close the connection, so a balancer checking readiness
 * stops routing here before anything is refused. Then the listener closes, requests in flight
 * finish (at most SHUTDOWN_TIMEOUT_SECONDS) and the process exits. SIGINT (Ctrl-C), or a
 * second signal, skips the drain.
 */
export async function serve(config: Config): Promise<void> {
  const server = await startServer(config);
  const log = server.app.log;
  let stopping = false;
  let endDrain = () => {};
  const shutdown = async (signal: NodeJS.Signals) => {
    if (stopping) {
      endDrain();
      return;
    }
    stopping = true;
    server.app.readiness.startDraining();
    const drainMs = signal === 'SIGTERM' ? config.shutdown.drainMs : 0;
    log.info({ signal, drainSeconds: drainMs / 1000 }, 'shutting down: readiness fails now; still serving while balancers notice');
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, drainMs);
      endDrain = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    log.info('closing the listener; requests in flight finish');
    setTimeout(() => {
      log.error({ timeoutSeconds: config.shutdown.timeoutMs / 1000 }, 'shutdown timed out: closing the connections still open');
      server.app.server.closeAllConnections();
      process.exit(1);
    }, config.shutdown.timeoutMs).unref();
    try {
      await server.close();
      process.exit(0);
    } catch (error) {
      log.error({ err: error }, 'shutdown failed');
      process.exit(1);
    }
  };
  process.on('SIGTERM', (signal) => void shutdown(signal));
  process.on('SIGINT', (signal) => void shutdown(signal));
}
