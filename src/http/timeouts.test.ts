import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { ConfigError, loadConfig } from '../config.js';
import { useTestApp } from '../testing/app.js';
import { BACKENDS } from '../testing/databases.js';

// Short figures so the test sees each timeout fire; production defaults are in src/config.ts.
const LIMITS = { requestTimeoutMs: 3000, headersTimeoutMs: 1500, keepAliveTimeoutMs: 1000, maxConnectionsPerAddress: 60 };

interface Trickle {
  /** Everything the server sent before it closed the connection. */
  closed: Promise<string>;
  stop(): void;
}

/** Opens a connection from `localAddress`, sends `head`, then one byte every `everyMs`. */
function trickle(port: number, localAddress: string, head: string, everyMs: number): Trickle {
  const socket = net.connect({ port, host: '127.0.0.1', localAddress });
  let answer = '';
  let timer: NodeJS.Timeout | undefined;
  socket.on('data', (chunk) => (answer += chunk.toString('utf8')));
  socket.on('error', () => undefined);
  socket.once('connect', () => {
    socket.write(head);
    timer = setInterval(() => socket.writable && socket.write('x'), everyMs);
  });
  const closed = new Promise<string>((resolve) =>
    socket.once('close', () => {
      clearInterval(timer);
      resolve(answer);
    }),
  );
  return { closed, stop: () => socket.destroy() };
}

// A public route that reads a body (a private one answers 401 before reading it).
const bodyHead = (length: number) =>
  `POST /api/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${length}\r\n\r\n`;

/** GET /health from another loopback address; resolves with status and milliseconds taken. */
function health(port: number, localAddress: string): Promise<{ status: number; ms: number }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const request = http.get({ host: '127.0.0.1', port, path: '/health', localAddress, agent: false }, (response) => {
      response.resume();
      response.on('end', () => resolve({ status: response.statusCode ?? 0, ms: performance.now() - started }));
    });
    request.on('error', reject);
  });
}

for (const backend of BACKENDS) {
  describe(`timeouts and connection caps on ${backend}`, () => {
    const t = useTestApp(backend, { http: LIMITS });
    let port = 0;

    it('listens', async () => {
      await t.app.listen({ port: 0, host: '127.0.0.1' });
      port = (t.app.server.address() as net.AddressInfo).port;
    });

    it('cuts off a body trickled a byte at a time with 408 in the shape', async () => {
      // 10,000 bytes at one per 400 ms would take over an hour.
      const slow = trickle(port, '127.0.0.1', bodyHead(10_000), 400);
      const answer = await slow.closed;
      const [head = '', body = ''] = answer.split('\r\n\r\n');
      assert.match(head, /^HTTP\/1.1 408/);
      assert.match(head.toLowerCase(), /connection: close/);
      assert.equal(JSON.parse(body).error.code, 'request_timeout');
    });

    it('cuts off headers that never finish, and closes an idle kept-alive connection', async () => {
      const slowHeaders = trickle(port, '127.0.0.1', 'GET /health HTTP/1.1\r\nHost: x\r\nX-Slow: ', 300);
      assert.match(await slowHeaders.closed, /^HTTP\/1.1 408/);
      const idle = trickle(port, '127.0.0.1', 'GET /health HTTP/1.1\r\nHost: x\r\n\r\n', 3_600_000);
      const answer = await idle.closed;
      assert.match(answer, /^HTTP\/1.1 200/, 'answered, then closed once idle past keepAliveTimeout');
    });

    it('refuses connections past the per-address cap with 429, and a slow-body flood leaves /health answering', async () => {
      const flood: Trickle[] = [];
      // 4 addresses x 60 trickling connections: each address at its cap, 240 in all.
      for (const address of ['127.0.0.2', '127.0.0.3', '127.0.0.4', '127.0.0.5']) {
        for (let i = 0; i < LIMITS.maxConnectionsPerAddress; i++) flood.push(trickle(port, address, bodyHead(10_000), 500));
      }
      await sleep(300);
      // One more from a capped address: refused at once, in the shape.
      const extra = trickle(port, '127.0.0.2', bodyHead(10_000), 500);
      const refused = await extra.closed;
      assert.match(refused, /^HTTP\/1.1 429/);
      assert.match(refused, /Retry-After: 5/);
      assert.equal(JSON.parse(refused.split('\r\n\r\n')[1]!).error.code, 'too_many_connections');
      // Meanwhile another client is served normally.
      const checks = [];
      for (let i = 0; i < 5; i++) {
        checks.push(await health(port, '127.0.0.9'));
        await sleep(200);
      }
      for (const check of checks) assert.equal(check.status, 200);
      const slowest = Math.max(...checks.map((check) => check.ms));
      console.log(`# /health during a ${flood.length}-connection slow-body flood: slowest of 5 in ${slowest.toFixed(1)} ms`);
      assert.ok(slowest < 2000, `/health took ${slowest.toFixed(0)} ms during the flood`);
      // Every flooding connection is cut off by the request timeout, freeing the addresses.
      const answers = await Promise.all(flood.map((connection) => connection.closed));
      assert.ok(answers.every((answer) => answer.startsWith('HTTP/1.1 408')), 'each flooding connection got 408');
      assert.equal((await health(port, '127.0.0.2')).status, 200, 'the address may connect again');
    });
  });
}

describe('timeout and connection settings', () => {
  it('default to figures fit for a slow phone, and drop the per-address cap behind a proxy', () => {
    const defaults = loadConfig({});
    assert.deepEqual(defaults.http, { requestTimeoutMs: 300_000, headersTimeoutMs: 20_000, keepAliveTimeoutMs: 72_000, maxConnectionsPerAddress: 100 });
    assert.equal(loadConfig({ TRUST_PROXY: '1' }).http.maxConnectionsPerAddress, 0);
    assert.equal(loadConfig({ TRUST_PROXY: '1', MAX_CONNECTIONS_PER_ADDRESS: '500' }).http.maxConnectionsPerAddress, 500);
    assert.equal(loadConfig({ REQUEST_TIMEOUT_SECONDS: '60', HEADERS_TIMEOUT_SECONDS: '10' }).http.requestTimeoutMs, 60_000);
    assert.throws(() => loadConfig({ REQUEST_TIMEOUT_SECONDS: '10', HEADERS_TIMEOUT_SECONDS: '20' }), ConfigError);
    assert.throws(() => loadConfig({ REQUEST_TIMEOUT_SECONDS: '0' }), ConfigError);
  });
});
