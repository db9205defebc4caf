import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './ports.js';

// Debian's PgBouncer, started by a test in front of the test PostgreSQL with a stock
// configuration in transaction pooling: nothing Mosaic needs is switched on for it (no
// ignore_startup_parameters, no max_prepared_statements).

export interface PgBouncer {
  port: number;
  /** The URL of `database` through PgBouncer. */
  urlFor(directUrl: string): string;
  output(): string;
  stop(): Promise<void>;
}

/** Starts PgBouncer (pool_mode=transaction, auth_type=trust) on a free port of 127.0.0.1. */
export async function startPgBouncer(options: { upstreamUrl: string; poolSize?: number }): Promise<PgBouncer> {
  const upstream = new URL(options.upstreamUrl);
  const user = decodeURIComponent(upstream.username || 'postgres');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mosaic-pgbouncer-'));
  // PgBouncer refuses to run as root; as another user it must read its files.
  fs.chmodSync(dir, 0o755);
  const port = await freePort();
  const authFile = path.join(dir, 'userlist.txt');
  fs.writeFileSync(authFile, `"${user}" ""\n`, { mode: 0o644 });
  const config = [
    '[databases]',
    `* = host=${upstream.hostname} port=${upstream.port || 5432}`,
    '[pgbouncer]',
    'listen_addr = 127.0.0.1',
    `listen_port = ${port}`,
    'unix_socket_dir =',
    'auth_type = trust',
    `auth_file = ${authFile}`,
    'pool_mode = transaction',
    'max_client_conn = 1000',
    `default_pool_size = ${options.poolSize ?? 10}`,
    'server_login_retry = 1',
    '',
  ].join('\n');
  const configFile = path.join(dir, 'pgbouncer.ini');
  fs.writeFileSync(configFile, config, { mode: 0o644 });
  const args = process.getuid?.() === 0 ? ['-u', 'postgres', configFile] : [configFile];
  const child = spawn('pgbouncer', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`pgbouncer exited (${child.exitCode}):\n${output}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => {
        socket.destroy();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (open) break;
    if (Date.now() > deadline) throw new Error(`pgbouncer did not listen on ${port}:\n${output}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    port,
    urlFor(directUrl) {
      const url = new URL(directUrl);
      url.hostname = '127.0.0.1';
      url.port = String(port);
      url.password = '';
      return url.toString();
    },
    output: () => output,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
      await exited;
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
