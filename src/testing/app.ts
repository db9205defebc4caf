import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { after, before } from 'node:test';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { createCoachProvider } from '../coach/index.js';
import type { CoachProvider } from '../coach/provider.js';
import { loadConfig, type Config } from '../config.js';
import { openDatabase, type Backend, type Database } from '../db/connection.js';
import { migrateToLatest } from '../db/migrate.js';
import type { AppContext } from '../app-context.js';
import { loggerOptions } from '../http/logging.js';
import { buildServer } from '../server.js';
import { createTestDatabase, type TestDatabase } from './databases.js';
import type { LogCapture } from './logs.js';

export interface TestApp {
  app: FastifyInstance;
  ctx: AppContext;
  database: Database;
  testDatabase: TestDatabase;
  /** A new cookie-keeping client, like one browser. */
  client(): TestClient;
  /** A new client already logged in as a freshly registered user. */
  registeredClient(): Promise<TestClient>;
  close(): Promise<void>;
}

/**
 * Every in-process request comes from 127.0.0.1, and a test file creates far more users and
 * things than a person would in an hour; tests of the creation limits set their own.
 */
export const UNLIMITED: Config['rateLimits'] = {
  guestsPerHour: 1_000_000,
  registrationsPerHour: 1_000_000,
  chatMessagesPerHour: 1_000_000,
  uploadsPerHour: 1_000_000,
  resumesPerHour: 1_000_000,
  feedbackPerHour: 1_000_000,
  workbookRestartsPerHour: 1_000_000,
  legacyClaimsPerHour: 1_000_000,
  passwordResetsPerHour: 1_000_000,
};

/** The configuration tests run with: defaults, the test database, and any overrides. */
export function testConfig(database: TestDatabase, overrides: Partial<Config> = {}): Config {
  // In-process only, load shedding off: here the test's own synchronous work (seeding thousands
  // of rows through better-sqlite3, building fixtures) runs on the server's event loop and
  // would be counted as the server's queueing delay. Server processes (server-process.ts) and
  // the bench run with the production defaults, shedding included.
  const config = loadConfig({ LOG_LEVEL: 'silent', PRESSURE_MAX_QUEUE_MS: '0' });
  return { ...config, dataDir: database.dataDir, database: database.config, rateLimits: UNLIMITED, checkResponseShapes: true, ...overrides };
}

export interface TestAppOptions {
  /** A coach to use instead of the one the configuration selects (offline by default). */
  coach?: CoachProvider;
  /** Log at `info` into this capture (tests of what is logged); silent otherwise. */
  logs?: LogCapture;
}

/** The real application on a fresh, migrated database of the given backend, called in-process. */
export async function createTestApp(
  backend: Backend,
  overrides: Partial<Config> = {},
  options: TestAppOptions = {},
): Promise<TestApp> {
  const testDatabase = await createTestDatabase(backend);
  const config = testConfig(testDatabase, overrides);
  const database = openDatabase(config.database);
  await migrateToLatest(database.db);
  const ctx: AppContext = {
    db: database.db,
    backend,
    config,
    persistence: { persistent: true, reason: 'test database' },
    coach: options.coach ?? createCoachProvider(config.coach),
  };
  const app = await buildServer(ctx, options.logs ? { logger: loggerOptions('debug', options.logs) } : {});
  await app.ready();
  app.readiness.markReady();
  return {
    app,
    ctx,
    database,
    testDatabase,
    client: () => new TestClient(app),
    registeredClient: async () => {
      const client = new TestClient(app);
      await client.register();
      return client;
    },
    close: async () => {
      await app.close();
      await database.close();
      await testDatabase.drop();
    },
  };
}

/**
 * The app for one describe block: created before its tests, closed after them. The object
 * returned forwards to that app, so a test uses it as the TestApp itself.
 */
export function useTestApp(...args: Parameters<typeof createTestApp>): TestApp {
  let current: TestApp | undefined;
  before(async () => {
    current = await createTestApp(...args);
  });
  after(async () => {
    await current?.close();
  });
  return new Proxy({} as TestApp, {
    get(_target, key) {
      if (!current) throw new Error('the test app was used outside its describe block');
      return Reflect.get(current, key);
    },
  });
}

export interface TestResponse<T = any> {
  status: number;
  headers: Record<string, string | string[] | number | undefined>;
  body: T;
  raw: Buffer;
}

/** Sends requests through `app.inject`, keeping cookies between them like a browser. */
export class TestClient {
  readonly cookies = new Map<string, string>();
  constructor(private readonly app: FastifyInstance) {}

  async request<T = any>(options: InjectOptions): Promise<TestResponse<T>> {
    const cookieHeader = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const response = await this.app.inject({
      ...options,
      headers: { ...(cookieHeader ? { cookie: cookieHeader } : {}), ...options.headers },
    });
    for (const cookie of response.cookies as { name: string; value: string; expires?: Date; maxAge?: number }[]) {
      const expired = (cookie.expires && cookie.expires.getTime() <= Date.now()) || cookie.maxAge === 0 || cookie.value === '';
      if (expired) this.cookies.delete(cookie.name);
      else this.cookies.set(cookie.name, cookie.value);
    }
    // `raw` is what came over the wire; `body` is read from it decoded, as a browser would.
    const raw = response.rawPayload;
    const encoding = response.headers['content-encoding'];
    const decoded = encoding === 'br' ? brotliDecompressSync(raw) : encoding === 'gzip' ? gunzipSync(raw) : raw;
    const type = String(response.headers['content-type'] ?? '');
    const body = type.includes('json') && decoded.length > 0 ? JSON.parse(decoded.toString('utf8')) : decoded.toString('utf8');
    return { status: response.statusCode, headers: response.headers, body, raw };
  }

  get<T = any>(url: string, headers?: Record<string, string>) {
    return this.request<T>({ method: 'GET', url, ...(headers ? { headers } : {}) });
  }
  post<T = any>(url: string, payload?: unknown, headers?: Record<string, string>) {
    return this.request<T>({ method: 'POST', url, ...(payload === undefined ? {} : { payload: payload as object }), ...(headers ? { headers } : {}) });
  }
  put<T = any>(url: string, payload?: unknown, headers?: Record<string, string>) {
    return this.request<T>({ method: 'PUT', url, ...(payload === undefined ? {} : { payload: payload as object }), ...(headers ? { headers } : {}) });
  }
  patch<T = any>(url: string, payload?: unknown, headers?: Record<string, string>) {
    return this.request<T>({ method: 'PATCH', url, ...(payload === undefined ? {} : { payload: payload as object }), ...(headers ? { headers } : {}) });
  }
  delete<T = any>(url: string, payload?: unknown, headers?: Record<string, string>) {
    return this.request<T>({ method: 'DELETE', url, ...(payload === undefined ? {} : { payload: payload as object }), ...(headers ? { headers } : {}) });
  }

  /** Registers a fresh account (unique email) and keeps its session cookie. */
  async register(email = `user-${Math.random().toString(36).slice(2)}@example.org`, password = 'correct horse battery') {
    const response = await this.post('/api/auth/register', { email, password });
    if (response.status !== 201) throw new Error(`register failed: ${response.status} ${JSON.stringify(response.body)}`);
    return { email, password, user: response.body.user as { id: number; email: string } };
  }
}
