import os from 'node:os';
import path from 'node:path';
import { proxyList, type TrustProxySetting } from './http/client-address.js';

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
      /**
       * DATABASE_POOLER: `transaction` when a transaction pooler (PgBouncer pool_mode=transaction)
       * stands between Mosaic and PostgreSQL; everything that differs follows from it (see usesNamedStatements).
       */
      pooler?: DatabasePooler;
      /** MIGRATION_LOCK_TIMEOUT_SECONDS: how long a start waits for another instance's migration. */
      migrationLockTimeoutMs?: number;
    }
  | { backend: 'sqlite'; file: string; synchronous: 'full' | 'normal' };

export type DatabasePooler = 'none' | 'transaction';

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
  /** `POST /api/ps101/restart`: each archives a workbook run. */
  workbookRestartsPerHour: number;
  /** Claims and previews of work from the earlier version, per user (src/legacy). */
  legacyClaimsPerHour: number;
  /** Password-reset requests per client address (each may send a mail). */
  passwordResetsPerHour: number;
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

/** Load shedding (src/http/pressure.ts): past any threshold, requests get 503 `overloaded`. 0 turns one off. */
export interface PressureConfig {
  /** PRESSURE_MAX_QUEUE_MS: the p99 of the event-loop delay over 500 ms above which new requests are shed. */
  maxQueueMs: number;
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
  trustProxy: TrustProxySetting;
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
  /** Sessions one user keeps (MAX_SESSIONS_PER_USER); a login beyond it ends the oldest. */
  maxSessionsPerUser: number;
  /** Archived workbook runs one user keeps (MAX_WORKBOOK_RUNS_PER_USER); past it a restart gets 413 `too_many_runs`. */
  maxWorkbookRunsPerUser: number;
  /** Upload bodies one instance receives at once (MAX_UPLOADS_AT_ONCE); the rest get 503 `uploads_busy`. */
  maxUploadsAtOnce: number;
  /** Argon2id work at once and waiting (PASSWORD_HASH_CONCURRENCY, PASSWORD_QUEUE_MAX); past both, 503 `passwords_busy`. */
  passwords: PasswordWorkLimits;
  extraction: ExtractionConfig;
  /** Guests (users without an email) inactive this long are deleted with their data. */
  guestTtlDays: number;
  /** Work imported from the earlier version and not claimed this long is removed by the purge (LEGACY_CLAIM_DAYS). */
  legacyClaimDays: number;
  coach: CoachConfig;
  pressure: PressureConfig;
  /** What SIGTERM does (src/cli/serve.ts). */
  shutdown: ShutdownConfig;
  /** MIGRATE_ON_START (`mosaic serve --no-migrate`): false leaves migrations to a release step (`mosaic db migrate`). */
  migrateOnStart: boolean;
  /** Bearer token for GET /metrics (METRICS_TOKEN); null leaves /metrics off (404). */
  metricsToken: string | null;
  /** CHECK_RESPONSE_SHAPES=1 (tests): every JSON answer must match its schema exactly (http/response-shapes.ts). */
  checkResponseShapes: boolean;
  http: HttpLimits;
  mail: MailConfig;
}

/** Mail through SMTP with an outbox (src/mail/); see README, "Mail". */
export interface MailConfig {
  /** SMTP_URL: smtp:// (STARTTLS when offered) or smtps://, user and password in the URL; null sends no mail. */
  smtpUrl: string | null;
  /** MAIL_FROM: the sender of every mail. */
  from: string;
  /** PUBLIC_URL without a trailing slash: the origin of every link in a mail (never the request's Host). */
  publicUrl: string;
  /** PASSWORD_RESET_TTL_MINUTES: how long a reset link works. */
  passwordResetTtlMinutes: number;
  /** MAIL_RETRY_FIRST_SECONDS: the wait after a first failed delivery; each further failure doubles it. */
  retryFirstSeconds: number;
  /** MAIL_SEND_TIMEOUT_SECONDS: connecting to, greeting and talking to the SMTP server, each. */
  sendTimeoutSeconds: number;
  /** MAIL_POLL_SECONDS: how often each instance looks for mail due (mail queued here is sent at once). */
  pollSeconds: number;
}

export interface ShutdownConfig {
  /** SHUTDOWN_DRAIN_SECONDS: after SIGTERM, readiness fails and the listener keeps serving this long. */
  drainMs: number;
  /** SHUTDOWN_TIMEOUT_SECONDS: then requests in flight get at most this long before the process exits anyway. */
  timeoutMs: number;
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

/**
 * TRUST_PROXY: `false` (the default), a hop count (how many proxies stand in front, e.g. 1
 * on Railway), a comma-separated list of proxy addresses or CIDR ranges, or `true` (believe
 * any client: a warning at start).
 */
function parseTrustProxy(raw: string | undefined): Config['trustProxy'] {
  const value = raw?.trim().toLowerCase();
  if (!value || value === 'false' || value === '0') return false;
  if (value === 'true') return true;
  if (/^\d+$/.test(value)) {
    const hops = Number(value);
    if (hops > 100) throw new ConfigError(`TRUST_PROXY=${raw} is not a sensible hop count (1 to 100)`);
    return hops;
  }
  const entries = value.split(',').map((part) => part.trim()).filter(Boolean);
  try {
    proxyList(entries);
  } catch (error) {
    throw new ConfigError(`TRUST_PROXY=${raw}: ${(error as Error).message} (or use true, false or a hop count)`);
  }
  return entries;
}

/**
 * DATABASE_POOLER and DATABASE_NAMED_STATEMENTS, for the configured database and for the URLs
 * the CLI is given (db copy, backup, verify): behind a transaction pooler named statements are
 * off unless DATABASE_NAMED_STATEMENTS=true says the pooler keeps them (PgBouncer 1.21+ with
 * max_prepared_statements).
 */
export function poolerSettings(env: Env = process.env): { pooler: DatabasePooler; namedStatements: boolean } {
  const pooler = oneOf(env, 'DATABASE_POOLER', 'none', ['none', 'transaction'] as const);
  const named = oneOf(env, 'DATABASE_NAMED_STATEMENTS', pooler === 'transaction' ? 'false' : 'true', ['true', 'false'] as const);
  return { pooler, namedStatements: named === 'true' };
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
      ...poolerSettings(env),
      migrationLockTimeoutMs: integer(env, 'MIGRATION_LOCK_TIMEOUT_SECONDS', 60, 1, 3600) * 1000,
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

/**
 * Half a second of waiting for the loop at p99: far above what a saturated loop serving every
 * request shows (who-am-I at 50 connections, a GC pause), so only a backlog that cannot be
 * served in time is shed, and a busy shared machine does not make a healthy server refuse work.
 */
export const DEFAULT_MAX_QUEUE_MS = 500;

function pressureConfig(env: Env): PressureConfig {
  // PRESSURE_MAX_EVENT_LOOP_DELAY_MS, the older name, is still read (its 0 still turns shedding
  // off); PRESSURE_MAX_EVENT_LOOP_UTILIZATION is ignored: a busy loop is not a late one.
  const queueName = env.PRESSURE_MAX_QUEUE_MS === undefined && env.PRESSURE_MAX_EVENT_LOOP_DELAY_MS !== undefined ? 'PRESSURE_MAX_EVENT_LOOP_DELAY_MS' : 'PRESSURE_MAX_QUEUE_MS';
  return {
    maxQueueMs: integer(env, queueName, DEFAULT_MAX_QUEUE_MS, 0, 60_000),
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

function httpUrl(raw: string, name: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`${name}=${raw} is not a URL (expected e.g. https://mosaic.example.org)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ConfigError(`${name}=${raw} must be an http(s) URL`);
  if (url.search || url.hash || url.username) throw new ConfigError(`${name}=${raw} must hold no query, fragment or credentials`);
  return url.toString().replace(/\/+$/, '');
}

function mailConfig(env: Env, production: boolean, port: number): MailConfig {
  const smtpUrl = env.SMTP_URL?.trim() || null;
  if (smtpUrl !== null) {
    let scheme: string;
    try {
      scheme = new URL(smtpUrl).protocol;
    } catch {
      throw new ConfigError('SMTP_URL is not a valid URL (expected smtp://user:password@host:587 or smtps://user:password@host:465)');
    }
    if (scheme !== 'smtp:' && scheme !== 'smtps:') throw new ConfigError(`SMTP_URL has unsupported scheme "${scheme}" (use smtp:// or smtps://)`);
  }
  const rawPublicUrl = env.PUBLIC_URL?.trim();
  // A link built from the request's Host could be pointed at an attacker's site by whoever
  // sends the request, so in production the address people open must be said outright.
  if (production && smtpUrl !== null && !rawPublicUrl) {
    throw new ConfigError('SMTP_URL is set but PUBLIC_URL is not: set PUBLIC_URL to the address people open (e.g. https://mosaic.example.org), used for every link in a mail');
  }
  const publicUrl = rawPublicUrl ? httpUrl(rawPublicUrl, 'PUBLIC_URL') : `http://localhost:${port}`;
  return {
    smtpUrl,
    from: env.MAIL_FROM?.trim() || `Mosaic <no-reply@${new URL(publicUrl).hostname}>`,
    publicUrl,
    passwordResetTtlMinutes: integer(env, 'PASSWORD_RESET_TTL_MINUTES', 30, 5, 24 * 60),
    retryFirstSeconds: integer(env, 'MAIL_RETRY_FIRST_SECONDS', 15, 1, 3600),
    sendTimeoutSeconds: integer(env, 'MAIL_SEND_TIMEOUT_SECONDS', 30, 1, 600),
    pollSeconds: integer(env, 'MAIL_POLL_SECONDS', 5, 1, 3600),
  };
}

/** Reads Mosaic's configuration from the environment; throws ConfigError on anything invalid. */
export function loadConfig(env: Env = process.env): Config {
  const nodeEnv = env.NODE_ENV?.trim() || 'development';
  const production = nodeEnv === 'production';
  const dataDir = path.resolve(env.MOSAIC_DATA_DIR?.trim() || 'data');
  const logLevel = oneOf(env, 'LOG_LEVEL', 'info', LOG_LEVELS);
  const trustProxy = parseTrustProxy(env.TRUST_PROXY);
  const port = integer(env, 'PORT', 8080, 0, 65535);
  return {
    nodeEnv,
    production,
    port,
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
      workbookRestartsPerHour: integer(env, 'RATE_LIMIT_WORKBOOK_RESTARTS_PER_HOUR', 10, 1, 1_000_000),
      legacyClaimsPerHour: integer(env, 'RATE_LIMIT_LEGACY_CLAIMS_PER_HOUR', 20, 1, 1_000_000),
      passwordResetsPerHour: integer(env, 'RATE_LIMIT_PASSWORD_RESETS_PER_HOUR', 20, 1, 1_000_000),
    },
    purgeIntervalSeconds: integer(env, 'PURGE_INTERVAL_SECONDS', 3600, 0, 7 * 24 * 3600),
    maxUploadMb: integer(env, 'MAX_UPLOAD_MB', 10, 1, 100),
    maxStorageMbPerUser: integer(env, 'MAX_STORAGE_MB_PER_USER', 200, 1, 1_000_000),
    maxUploadsAtOnce: integer(env, 'MAX_UPLOADS_AT_ONCE', 4, 1, 1000),
    maxSessionsPerUser: integer(env, 'MAX_SESSIONS_PER_USER', 50, 1, 10_000),
    maxWorkbookRunsPerUser: integer(env, 'MAX_WORKBOOK_RUNS_PER_USER', 20, 1, 100_000),
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
    legacyClaimDays: integer(env, 'LEGACY_CLAIM_DAYS', 365, 1, 36500),
    coach: coachConfig(env),
    http: httpLimits(env, trustProxy !== false),
    pressure: pressureConfig(env),
    metricsToken: metricsToken(env),
    checkResponseShapes: env.CHECK_RESPONSE_SHAPES === '1',
    shutdown: {
      // Long enough for a balancer checking every 2 s to fail the check twice and stop routing.
      drainMs: integer(env, 'SHUTDOWN_DRAIN_SECONDS', 5, 0, 600) * 1000,
      timeoutMs: integer(env, 'SHUTDOWN_TIMEOUT_SECONDS', 30, 1, 3600) * 1000,
    },
    migrateOnStart: oneOf(env, 'MIGRATE_ON_START', 'true', ['true', 'false'] as const) === 'true',
    mail: mailConfig(env, production, port),
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
