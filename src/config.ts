import os from 'node:os';
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
      /** DATABASE_CONNECT_TIMEOUT_MS: connecting, and waiting for a pooled connection. */
      connectTimeoutMs?: number;
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

/** Creations allowed per hour: guests and registrations per client address, the rest per user. */
export interface RateLimits {
  guestsPerHour: number;
  registrationsPerHour: number;
  chatMessagesPerHour: number;
  uploadsPerHour: number;
  resumesPerHour: number;
  feedbackPerHour: number;
}

/** Limits on reading documents (see README, "Limits"). */
export interface ExtractionConfig {
  /** EXTRACTION_TIMEOUT_MS: parsing time of one document, from the moment a thread takes it. */
  timeoutMs: number;
  /** EXTRACTION_MAX_PER_USER: documents of one user waiting or being parsed at once. */
  perUser: number;
  /** EXTRACTION_QUEUE_MAX: documents waiting for a thread, all users together. */
  maxQueued: number;
  /** EXTRACTION_WORKER_HEAP_MB: V8 heap of one extraction thread. */
  workerHeapMb: number;
  /** ARCHIVE_MAX_UNCOMPRESSED_MB: what a DOCX or ODT may inflate to, in all. */
  archiveMaxUncompressedMb: number;
  /** ARCHIVE_MAX_RATIO: how much any large part of a DOCX or ODT may inflate. */
  archiveMaxRatio: number;
}

/** Admission of Argon2id work (src/auth/passwords.ts). */
export interface PasswordWorkLimits {
  /** PASSWORD_HASH_CONCURRENCY: hashes and verifications running at once. */
  concurrency: number;
  /** PASSWORD_QUEUE_MAX: operations waiting for one of those; past it, 503 `passwords_busy`. */
  queueMax: number;
}

/** Load shedding (@fastify/under-pressure): past any threshold, requests get 503 `overloaded`. 0 turns one off. */
export interface PressureConfig {
  maxEventLoopDelayMs: number;
  /** Share of the last sample interval the event loop was busy, 0–1. */
  maxEventLoopUtilization: number;
  maxHeapUsedMb: number;
  maxRssMb: number;
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
  /** Failed logins allowed per client address (and per known browser) within the window. */
  loginMaxFailures: number;
  /** Failed logins allowed per email from all addresses together (known browsers apart) within the window. */
  loginMaxFailuresPerEmail: number;
  loginWindowMinutes: number;
  rateLimits: RateLimits;
  /** How often the purge of expired rows runs, in seconds (0 turns it off). */
  purgeIntervalSeconds: number;
  /** Largest file upload accepted, in MiB (MAX_UPLOAD_MB); bigger ones get 413 and nothing is stored. */
  maxUploadMb: number;
  /** File bytes one user may keep, in MiB (MAX_STORAGE_MB_PER_USER); past it uploads get 413 `quota_exceeded`. */
  maxStorageMbPerUser: number;
  /** Upload bodies one instance receives at once (MAX_UPLOADS_AT_ONCE); the rest get 503 `uploads_busy`. */
  maxUploadsAtOnce: number;
  /** Argon2id work at once and waiting (PASSWORD_HASH_CONCURRENCY, PASSWORD_QUEUE_MAX); past both, 503 `passwords_busy`. */
  passwords: PasswordWorkLimits;
  extraction: ExtractionConfig;
  /** Guests (users without an email) inactive this long are deleted with their data. */
  guestTtlDays: number;
  coach: CoachConfig;
  pressure: PressureConfig;
  /** Bearer token for GET /metrics (METRICS_TOKEN); null leaves /metrics off (404). */
  metricsToken: string | null;
  http: HttpLimits;
}

/** How long a client may take, and how many connections it may hold (src/http/connections.ts). */
export interface HttpLimits {
  /** Whole request, headers and body (REQUEST_TIMEOUT_SECONDS). */
  requestTimeoutMs: number;
  /** Until the request headers are complete (HEADERS_TIMEOUT_SECONDS). */
  headersTimeoutMs: number;
  /** Idle time before a kept-alive connection is closed (KEEP_ALIVE_TIMEOUT_SECONDS). */
  keepAliveTimeoutMs: number;
  /** Open connections allowed per client socket address; 0 means no cap (MAX_CONNECTIONS_PER_ADDRESS). */
  maxConnectionsPerAddress: number;
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
      connectTimeoutMs: integer(env, 'DATABASE_CONNECT_TIMEOUT_MS', 5_000, 100, 60_000),
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

function httpLimits(env: Env, behindProxy: boolean): HttpLimits {
  // 300 s carries a 10 MB upload at 270 kbit/s, a poor mobile uplink, while a body trickled
  // a byte at a time is still cut off within five minutes.
  const requestTimeoutMs = integer(env, 'REQUEST_TIMEOUT_SECONDS', 300, 5, 3600) * 1000;
  const headersTimeoutMs = integer(env, 'HEADERS_TIMEOUT_SECONDS', 20, 1, 600) * 1000;
  if (headersTimeoutMs > requestTimeoutMs) {
    throw new ConfigError('HEADERS_TIMEOUT_SECONDS must not exceed REQUEST_TIMEOUT_SECONDS');
  }
  return {
    requestTimeoutMs,
    headersTimeoutMs,
    // Longer than the 60 s idle timeout of common load balancers, so they close first.
    keepAliveTimeoutMs: integer(env, 'KEEP_ALIVE_TIMEOUT_SECONDS', 72, 1, 600) * 1000,
    // Behind a proxy every connection comes from the proxy's address, so no cap by default.
    maxConnectionsPerAddress: integer(env, 'MAX_CONNECTIONS_PER_ADDRESS', behindProxy ? 0 : 100, 0, 100_000),
  };
}

function pressureConfig(env: Env): PressureConfig {
  const utilization = env.PRESSURE_MAX_EVENT_LOOP_UTILIZATION?.trim();
  const maxEventLoopUtilization = utilization ? Number(utilization) : 0.98;
  if (!Number.isFinite(maxEventLoopUtilization) || maxEventLoopUtilization < 0 || maxEventLoopUtilization > 1) {
    throw new ConfigError(`PRESSURE_MAX_EVENT_LOOP_UTILIZATION=${utilization} is not a number from 0 to 1`);
  }
  return {
    maxEventLoopDelayMs: integer(env, 'PRESSURE_MAX_EVENT_LOOP_DELAY_MS', 200, 0, 60_000),
    maxEventLoopUtilization,
    maxHeapUsedMb: integer(env, 'PRESSURE_MAX_HEAP_MB', 0, 0, 1_000_000),
    maxRssMb: integer(env, 'PRESSURE_MAX_RSS_MB', 0, 0, 1_000_000),
  };
}

function metricsToken(env: Env): string | null {
  const token = env.METRICS_TOKEN?.trim();
  if (!token) return null;
  if (token.length < 16) throw new ConfigError('METRICS_TOKEN must be at least 16 characters (or unset it to turn /metrics off)');
  return token;
}

/** Reads Mosaic's configuration from the environment; throws ConfigError on anything invalid. */
export function loadConfig(env: Env = process.env): Config {
  const nodeEnv = env.NODE_ENV?.trim() || 'development';
  const production = nodeEnv === 'production';
  const dataDir = path.resolve(env.MOSAIC_DATA_DIR?.trim() || 'data');
  const logLevel = oneOf(env, 'LOG_LEVEL', 'info', LOG_LEVELS);
  const trustProxy = parseTrustProxy(env.TRUST_PROXY);
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
    trustProxy,
    loginMaxFailures: integer(env, 'LOGIN_MAX_FAILURES', 10, 1, 10_000),
    loginMaxFailuresPerEmail: integer(env, 'LOGIN_MAX_FAILURES_PER_EMAIL', 50, 1, 100_000),
    loginWindowMinutes: integer(env, 'LOGIN_WINDOW_MINUTES', 15, 1, 24 * 60),
    rateLimits: {
      guestsPerHour: integer(env, 'RATE_LIMIT_GUESTS_PER_HOUR', 30, 1, 1_000_000),
      registrationsPerHour: integer(env, 'RATE_LIMIT_REGISTRATIONS_PER_HOUR', 20, 1, 1_000_000),
      chatMessagesPerHour: integer(env, 'RATE_LIMIT_CHAT_MESSAGES_PER_HOUR', 200, 1, 1_000_000),
      uploadsPerHour: integer(env, 'RATE_LIMIT_UPLOADS_PER_HOUR', 60, 1, 1_000_000),
      resumesPerHour: integer(env, 'RATE_LIMIT_RESUMES_PER_HOUR', 100, 1, 1_000_000),
      feedbackPerHour: integer(env, 'RATE_LIMIT_FEEDBACK_PER_HOUR', 100, 1, 1_000_000),
    },
    purgeIntervalSeconds: integer(env, 'PURGE_INTERVAL_SECONDS', 3600, 0, 7 * 24 * 3600),
    maxUploadMb: integer(env, 'MAX_UPLOAD_MB', 10, 1, 100),
    maxStorageMbPerUser: integer(env, 'MAX_STORAGE_MB_PER_USER', 200, 1, 1_000_000),
    maxUploadsAtOnce: integer(env, 'MAX_UPLOADS_AT_ONCE', 4, 1, 1000),
    passwords: {
      // One per core the process may run on (its CPU affinity): a 19 MiB Argon2 pass evicts the
      // caches of the next, so two on one core each take ~1.5× as long (ARCHITECTURE.md, login
      // storm). At most 4 by default: each running hash holds 19 MiB.
      concurrency: integer(env, 'PASSWORD_HASH_CONCURRENCY', Math.min(os.availableParallelism(), 4), 1, 64),
      queueMax: integer(env, 'PASSWORD_QUEUE_MAX', 64, 0, 10_000),
    },
    extraction: {
      timeoutMs: integer(env, 'EXTRACTION_TIMEOUT_MS', 30_000, 1000, 600_000),
      perUser: integer(env, 'EXTRACTION_MAX_PER_USER', 3, 1, 1000),
      maxQueued: integer(env, 'EXTRACTION_QUEUE_MAX', 32, 1, 100_000),
      workerHeapMb: integer(env, 'EXTRACTION_WORKER_HEAP_MB', 256, 64, 8192),
      archiveMaxUncompressedMb: integer(env, 'ARCHIVE_MAX_UNCOMPRESSED_MB', 100, 1, 4096),
      archiveMaxRatio: integer(env, 'ARCHIVE_MAX_RATIO', 100, 2, 100_000),
    },
    guestTtlDays: integer(env, 'GUEST_TTL_DAYS', 30, 1, 3650),
    coach: coachConfig(env),
    http: httpLimits(env, trustProxy !== false),
    pressure: pressureConfig(env),
    metricsToken: metricsToken(env),
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
