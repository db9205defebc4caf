import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { TestDatabase } from './databases.js';
import { freePort } from './ports.js';

const BIN = fileURLToPath(new URL('../../bin/mosaic.js', import.meta.url));

export interface ServerProcess {
  url: string;
  port: number;
  child: ChildProcess;
  output(): string;
  /** Sends the signal and resolves with the exit code (or the signal's name). */
  stop(signal?: NodeJS.Signals): Promise<number | string>;
}

/** The environment that points a `mosaic` process at a test database. */
export function databaseEnv(database: TestDatabase): Record<string, string> {
  return database.config.backend === 'postgres'
    ? { DATABASE_URL: database.location }
    : { MOSAIC_DATA_DIR: database.dataDir };
}

/** Starts `mosaic serve` as a real child process and waits until /health/ready answers 200. */
export async function startServerProcess(
  database: TestDatabase,
  /** Added to this process's environment; a key set to undefined is removed from it. */
  extraEnv: Record<string, string | undefined> = {},
  port?: number,
): Promise<ServerProcess> {
  const listenPort = port ?? (await freePort());
  // The production defaults, load shedding included: it sheds only what cannot be served.
  // No drain on SIGTERM unless a test asks (SHUTDOWN_DRAIN_SECONDS): stopping is most tests' cleanup.
  const env: Record<string, string | undefined> = { ...process.env, ...databaseEnv(database), SHUTDOWN_DRAIN_SECONDS: '0', ...extraEnv };
  if (database.config.backend === 'sqlite') delete env.DATABASE_URL;
  for (const [name, value] of Object.entries(env)) if (value === undefined) delete env[name];
  Object.assign(env, { PORT: String(listenPort), HOST: '127.0.0.1', LOG_LEVEL: extraEnv.LOG_LEVEL ?? 'warn' });
  const child = spawn(process.execPath, [BIN, 'serve'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | string>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')),
  );
  const url = `http://127.0.0.1:${listenPort}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`mosaic serve exited early (${await exited}):\n${output}`);
    }
    try {
      const response = await fetch(`${url}/health/ready`);
      if (response.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`mosaic serve did not become healthy in time:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    port: listenPort,
    child,
    output: () => output,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** A tiny fetch client with a cookie jar, for talking to a real server process. */
export class HttpClient {
  cookie = '';
  /** Sent with every request (e.g. an `x-forwarded-for` address of its own). */
  headers: Record<string, string> = {};
  constructor(public baseUrl: string) {}

  /** A multipart upload of one file (field `file`), as the web app sends it. */
  upload(bytes: Buffer, name: string) {
    const form = new FormData();
    form.append('file', new Blob([bytes], { type: 'text/plain' }), name);
    return this.request('POST', '/api/files', form);
  }

  /** A JSON body, or a multipart form (FormData); `raw` holds the body's bytes. */
  async request(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: any; headers: Headers; raw: Buffer }> {
    const headers: Record<string, string> = { ...this.headers };
    if (this.cookie) headers.cookie = this.cookie;
    const form = body instanceof FormData;
    if (body !== undefined && !form) headers['content-type'] = 'application/json';
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers,
      ...(body !== undefined ? { body: form ? body : JSON.stringify(body) } : {}),
    });
    const setCookie = response.headers.getSetCookie().find((c) => c.startsWith('mosaic_session='));
    if (setCookie) {
      const value = setCookie.split(';')[0]!;
      this.cookie = value === 'mosaic_session=' ? '' : value;
    }
    const raw = Buffer.from(await response.arrayBuffer());
    const type = response.headers.get('content-type') ?? '';
    const parsed = type.includes('json') && raw.length > 0 ? JSON.parse(raw.toString('utf8')) : raw.toString('utf8');
    return { status: response.status, body: parsed, headers: response.headers, raw };
  }
}
