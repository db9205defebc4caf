import path from 'node:path';
import type { Config } from '../config.js';
import { ConfigError } from '../config.js';

export interface Persistence {
  persistent: boolean;
  /** Why, in words fit for anyone who asks /health: names variables, never filesystem paths. */
  reason: string;
}

type Env = Record<string, string | undefined>;

function isInside(dir: string, parent: string): boolean {
  const relative = path.relative(path.resolve(parent), path.resolve(dir));
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

/**
 * Whether the data survives a redeploy. The predecessor lost every account because its SQLite
 * file sat on a container disk that each deploy wiped; nothing in the app noticed. Here the
 * answer is explicit, reported by /health, and enforced in production.
 */
export function assessPersistence(config: Config, env: Env = process.env): Persistence {
  if (config.database.backend === 'postgres') {
    return { persistent: true, reason: 'data lives in PostgreSQL (DATABASE_URL)' };
  }
  const dir = config.dataDir;
  if (env.MOSAIC_DATA_PERSISTENT?.trim().toLowerCase() === 'true') {
    return { persistent: true, reason: 'SQLite directory declared persistent by MOSAIC_DATA_PERSISTENT=true' };
  }
  const volume = env.RAILWAY_VOLUME_MOUNT_PATH?.trim();
  if (volume && isInside(dir, volume)) {
    return { persistent: true, reason: 'SQLite directory is on the Railway volume (RAILWAY_VOLUME_MOUNT_PATH)' };
  }
  const hint = volume
    ? 'it is outside the Railway volume (RAILWAY_VOLUME_MOUNT_PATH)'
    : 'it is not declared persistent (MOSAIC_DATA_PERSISTENT) nor under a mounted volume (RAILWAY_VOLUME_MOUNT_PATH)';
  return { persistent: false, reason: `SQLite directory: ${hint}` };
}

/** In production, refuse to keep data where the next deploy would erase it. */
export function assertPersistentInProduction(config: Config, persistence: Persistence): void {
  if (!config.production || persistence.persistent) return;
  throw new ConfigError(
    `refusing to start in production on SQLite at ${config.dataDir} that may not survive a redeploy (${persistence.reason}). ` +
      'Fix: set DATABASE_URL to a PostgreSQL database, or mount a volume, point MOSAIC_DATA_DIR into it and set MOSAIC_DATA_PERSISTENT=true.',
  );
}
