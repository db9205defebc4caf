import path from 'node:path';

/** Raised for configuration that cannot work; the CLI prints its message on one line and exits 2. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

export type DatabaseConfig =
  | {
      backend: 'postgres';
      url: string;
      poolMax: number;
      statementTimeoutMs: number;
      /** Named (prepared once per connection) statements; off for PgBouncer transaction pooling before 1.21. */
      namedStatements?: boolean;
    }
  | { backend: 'sqlite'; file: string; synchronous: 'full' | 'normal' };

export interface CoachConfig {
  /** Base URL of an OpenAI-compatible API (COACH_API_URL); with apiKey it replaces the offline coach. */
  apiUrl: string | null;
  apiKey: string | null;
  model: string;
  /** Ask the model for a streamed reply (COACH_STREAM). */
  stream: boolean;
  timeoutMs: number;
  maxRetries: number;
}

export interface Config {
  nodeEnv: string;
  production: boolean;
  port: number;
  host: string;
  logLevel: string;
  database: DatabaseConfig;
  dataDir: string;
  sessionTtlDays: number;
  /** Fastify's `trustProxy`: whether (and which) X-Forwarded-For hops to believe. */
  trustProxy: boolean | number | string[];
  /** Failed logins allowed per email and per client address within the window. */
  loginMaxFailures: number;
  loginWindowMinutes: number;
  /** How often the purge of expired rows runs, in seconds (0 turns it off). */
  purgeIntervalSeconds: number;
  /** Largest file upload accepted, in MiB (MAX_UPLOAD_MB); bigger ones get 413 and nothing is stored. */
  maxUploadMb: number;
  /** Guests (users without an email) inactive this long are deleted with their data. */
  guestTtlDays: number;
  coach: CoachConfig;
}

type Env = Record<string, string | undefined>;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name}=${raw} is not a whole number from ${min} to ${max}`);
  }
  return value;
}

function oneOf<T extends string>(env: Env, name: string, fallback: T, allowed: readonly T[]): T {
  const raw = env[name]?.trim().toLowerCase();
  if (!raw) return fallback;
  if (!(allowed as readonly string[]).includes(raw)) {
    throw new ConfigError(`${name}=${env[name]} must be one of: ${allowed.join(', ')}`);
  }
  return raw as T;
}

function parseTrustProxy(raw: string | undefined): Config['trustProxy'] {
  const value = raw?.trim();
  if (!value || value === 'false' || value === '0') return false;
  if (value === 'true') return true;
  if (/^\d+$/.test(value)) return Number(value);
  // A comma-separated list of proxy addresses or CIDR ranges.
  return value.split(',').map((part) => part.trim()).filter(Boolean);
}

function databaseConfig(env: Env, dataDir: string): DatabaseConfig {
  const url = env.DATABASE_URL?.trim();
  if (url) {
    let scheme: string;
    try {
      scheme = new URL(url).protocol;
    } catch {
      throw new ConfigError('DATABASE_URL is not a valid URL (expected postgres://user:password@host:port/database)');
    }
    if (scheme !== 'postgres:' && scheme !== 'postgresql:') {
      throw new ConfigError(
        `DATABASE_URL has unsupported scheme "${scheme}" (use postgres:// or postgresql://, or unset it for embedded SQLite)`,
      );
    }
    return {
      backend: 'postgres',
      url,
      poolMax: integer(env, 'DATABASE_POOL_MAX', 10, 1, 1000),
      statementTimeoutMs: integer(env, 'DATABASE_STATEMENT_TIMEOUT_MS', 30_000, 100, 3_600_000),
      namedStatements: oneOf(env, 'DATABASE_NAMED_STATEMENTS', 'true', ['true', 'false'] as const) === 'true',
    };
  }
  return {
    backend: 'sqlite',
    file: path.join(dataDir, 'mosaic.db'),
    synchronous: oneOf(env, 'MOSAIC_SQLITE_SYNCHRONOUS', 'full', ['full', 'normal'] as const),
  };
}

function coachConfig(env: Env): CoachConfig {
  const apiUrl = env.COACH_API_URL?.trim() || null;
  const apiKey = env.COACH_API_KEY?.trim() || null;
  if ((apiUrl === null) !== (apiKey === null)) {
    throw new ConfigError('COACH_API_URL and COACH_API_KEY must be set together (or neither, for the offline coach)');
  }
  if (apiUrl !== null && !/^https?:\/\/[^/]/i.test(apiUrl)) {
    throw new ConfigError(`COACH_API_URL=${apiUrl} must be an http(s) URL such as https://api.openai.com/v1`);
  }
  const stream = oneOf(env, 'COACH_STREAM', 'false', ['true', 'false'] as const);
  return {
    apiUrl,
    apiKey,
    model: env.COACH_MODEL?.trim() || 'gpt-4o-mini',
    stream: stream === 'true',
    timeoutMs: integer(env, 'COACH_TIMEOUT_MS', 30_000, 100, 600_000),
    maxRetries: 1,
  };
}

/** Reads Mosaic's configuration from the environment; throws ConfigError on anything invalid. */
export function loadConfig(env: Env = process.env): Config {
  const nodeEnv = env.NODE_ENV?.trim() || 'development';
  const production = nodeEnv === 'production';
  const dataDir = path.resolve(env.MOSAIC_DATA_DIR?.trim() || 'data');
  const logLevel = oneOf(env, 'LOG_LEVEL', 'info', LOG_LEVELS);
  return {
    nodeEnv,
    production,
    port: integer(env, 'PORT', 8080, 0, 65535),
    // Containers need every interface; a developer's machine should not expose itself by default.
    host: env.HOST?.trim() || (production ? '0.0.0.0' : 'localhost'),
    logLevel,
    database: databaseConfig(env, dataDir),
    dataDir,
    sessionTtlDays: integer(env, 'SESSION_TTL_DAYS', 30, 1, 90),
    trustProxy: parseTrustProxy(env.TRUST_PROXY),
    loginMaxFailures: integer(env, 'LOGIN_MAX_FAILURES', 10, 1, 10_000),
    loginWindowMinutes: integer(env, 'LOGIN_WINDOW_MINUTES', 15, 1, 24 * 60),
    purgeIntervalSeconds: integer(env, 'PURGE_INTERVAL_SECONDS', 3600, 0, 7 * 24 * 3600),
    maxUploadMb: integer(env, 'MAX_UPLOAD_MB', 10, 1, 100),
    guestTtlDays: integer(env, 'GUEST_TTL_DAYS', 30, 1, 3650),
    coach: coachConfig(env),
  };
}

/** A database URL fit for logs: the password is replaced by ***. */
export function maskDatabaseUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparseable URL)';
  }
}
