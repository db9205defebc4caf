import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './ports.js';

// Debian's haproxy, started by a test in front of real `mosaic serve` processes: TLS is
// terminated by it (a self-signed certificate made here with openssl), it appends the real
// client address to X-Forwarded-For and sets X-Forwarded-Proto, and (with several backends)
// it balances by a health check, as a production balancer does.

export interface HaproxyBackend {
  name: string;
  port: number;
}

export interface HaproxyOptions {
  backends: HaproxyBackend[];
  /** Health check path; none: every backend is always up. */
  healthPath?: string;
  /** Check interval (ms). */
  checkIntervalMs?: number;
}

export interface Haproxy {
  /** https://localhost:PORT */
  url: string;
  port: number;
  /** The self-signed certificate clients must trust. */
  ca: string;
  output(): string;
  stop(): Promise<void>;
}

/** A throwaway self-signed certificate for `localhost` (key and certificate in one PEM, as haproxy wants). */
function selfSignedCertificate(dir: string): { pem: string; cert: string } {
  const key = path.join(dir, 'key.pem');
  const cert = path.join(dir, 'cert.pem');
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
    '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1', '-keyout', key, '-out', cert,
  ], { stdio: 'ignore' });
  const pem = path.join(dir, 'haproxy.pem');
  fs.writeFileSync(pem, fs.readFileSync(cert, 'utf8') + fs.readFileSync(key, 'utf8'));
  return { pem, cert: fs.readFileSync(cert, 'utf8') };
}

async function waitForPort(port: number, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`haproxy exited (${child.exitCode}):\n${output()}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => {
        socket.destroy();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (open) return;
    if (Date.now() > deadline) throw new Error(`haproxy did not listen on ${port}:\n${output()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Starts haproxy terminating TLS on a free port of 127.0.0.1, in front of the given backends. */
export async function startHaproxy(options: HaproxyOptions): Promise<Haproxy> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mosaic-haproxy-'));
  const { pem, cert } = selfSignedCertificate(dir);
  const port = await freePort();
  const interval = options.checkIntervalMs ?? 500;
  // Down after two failed checks, up after one good one: a common production setting.
  const check = options.healthPath ? ` check inter ${interval} fall 2 rise 1` : '';
  const config = [
    'global',
    '  maxconn 2000',
    'defaults',
    '  mode http',
    '  timeout connect 2s',
    '  timeout client 60s',
    '  timeout server 60s',
    '  timeout http-keep-alive 30s',
    // Appends the client's real address to whatever X-Forwarded-For the client sent.
    '  option forwardfor',
    'frontend web',
    `  bind 127.0.0.1:${port} ssl crt ${pem}`,
    '  http-request set-header X-Forwarded-Proto https',
    '  default_backend mosaic',
    'backend mosaic',
    '  balance roundrobin',
    ...(options.healthPath ? [`  option httpchk GET ${options.healthPath}`, '  http-check expect status 200'] : []),
    ...options.backends.map((b) => `  server ${b.name} 127.0.0.1:${b.port}${check}`),
    '',
  ].join('\n');
  const configFile = path.join(dir, 'haproxy.cfg');
  fs.writeFileSync(configFile, config);
  const child = spawn('haproxy', ['-db', '-f', configFile], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await waitForPort(port, child, () => output);
  return {
    url: `https://localhost:${port}`,
    port,
    ca: cert,
    output: () => output,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface ProxyResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: any;
  raw: Buffer;
}

/**
 * One browser talking to Mosaic through the proxy over TLS, from a loopback address of its own
 * (127.0.0.2, 127.0.0.3, …: the proxy sees, and forwards, that address), with a cookie jar, the
 * proxy's https origin on every request, and kept-alive connections.
 */
export class ProxyClient {
  cookie = '';
  readonly agent: https.Agent;
  constructor(
    readonly proxy: Haproxy,
    readonly localAddress = '127.0.0.1',
    readonly extraHeaders: Record<string, string> = {},
  ) {
    this.agent = new https.Agent({ keepAlive: true, ca: proxy.ca, localAddress, maxSockets: 4 });
  }

  request(method: string, urlPath: string, body?: unknown): Promise<ProxyResponse> {
    let payload: Buffer | undefined;
    const headers: Record<string, string> = { origin: this.proxy.url, ...this.extraHeaders };
    if (body instanceof FormData) throw new Error('use upload() for files');
    if (body !== undefined) {
      payload = Buffer.from(JSON.stringify(body));
      headers['content-type'] = 'application/json';
    }
    return this.send(method, urlPath, headers, payload);
  }

  /** A multipart upload, as the web app sends a file. */
  upload(bytes: Buffer, name: string): Promise<ProxyResponse> {
    const boundary = `----mosaic-proxy-${Math.random().toString(16).slice(2)}`;
    const payload = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: text/plain\r\n\r\n`),
      bytes,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    return this.send('POST', '/api/files', { origin: this.proxy.url, ...this.extraHeaders, 'content-type': `multipart/form-data; boundary=${boundary}` }, payload);
  }

  private send(method: string, urlPath: string, headers: Record<string, string>, payload?: Buffer): Promise<ProxyResponse> {
    // The name the certificate and the Origin carry; the socket itself goes to 127.0.0.1.
    headers.host = `localhost:${this.proxy.port}`;
    if (this.cookie) headers.cookie = this.cookie;
    if (payload) headers['content-length'] = String(payload.length);
    return new Promise((resolve, reject) => {
      const request = https.request(
        { host: '127.0.0.1', servername: 'localhost', port: this.proxy.port, method, path: urlPath, headers, agent: this.agent },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('error', reject);
          response.on('end', () => {
            const raw = Buffer.concat(chunks);
            const setCookie = (response.headers['set-cookie'] ?? []).find((c) => c.startsWith('mosaic_session='));
            if (setCookie) {
              const value = setCookie.split(';')[0]!;
              this.cookie = value === 'mosaic_session=' ? '' : value;
            }
            const type = String(response.headers['content-type'] ?? '');
            const body = type.includes('json') && raw.length > 0 ? JSON.parse(raw.toString('utf8')) : raw.toString('utf8');
            resolve({ status: response.statusCode ?? 0, headers: response.headers, body, raw });
          });
        },
      );
      request.on('error', reject);
      request.end(payload);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
