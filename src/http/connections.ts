import http from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { HttpLimits } from '../config.js';
import { addressKey } from './client-address.js';

/** A complete HTTP/1.1 error response in the API's shape, for sockets Fastify never sees. */
function rawErrorResponse(status: number, code: string, message: string, extraHeaders = ''): string {
  const body = JSON.stringify({ error: { code, message } });
  return (
    `HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\n` +
    `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n${extraHeaders}\r\n${body}`
  );
}

function answerAndClose(socket: Duplex, response: string): void {
  if (socket.writable) socket.end(response, () => socket.destroy());
  else socket.destroy();
}

/**
 * Node's HTTP parser refuses some requests before Fastify sees them (headers over 16 KB, a
 * request that took longer than requestTimeout, bytes that are not HTTP). Fastify's default
 * answer has its own shape; this one keeps the API's and closes the connection.
 */
export function clientErrorHandler(error: NodeJS.ErrnoException, socket: Duplex): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, code, message] =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'headers_too_large', 'The request headers are too large.']
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'request_timeout', 'The request did not arrive in time.']
        : [400, 'bad_request', 'The request is not valid HTTP.'];
  answerAndClose(socket, rawErrorResponse(status, code, message));
}

/** Fastify's server options for the timeouts (passed to Node's http server). */
export function timeoutOptions(limits: HttpLimits) {
  return {
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    http: {
      headersTimeout: limits.headersTimeoutMs,
      // Node enforces both timeouts on this sweep (30 s by default): sweep often enough that a
      // timeout fires close to its figure.
      connectionsCheckingInterval: Math.min(30_000, Math.max(100, Math.floor(limits.headersTimeoutMs / 4))),
    },
  };
}

/**
 * At most `max` open connections per client socket address: a client holding hundreds of
 * slow connections would otherwise use up the process's file descriptors and lock everyone
 * out. The refused connection gets a 429 in the API's shape and is closed.
 */
export function capConnectionsPerAddress(server: http.Server, max: number): void {
  if (max <= 0) return;
  const open = new Map<string, number>();
  server.prependListener('connection', (socket: Socket) => {
    // IPv6 by its /64 (addressKey), like every per-address limit.
    const address = addressKey(socket.remoteAddress ?? 'unknown');
    const count = (open.get(address) ?? 0) + 1;
    if (count > max) {
      answerAndClose(
        socket,
        rawErrorResponse(429, 'too_many_connections', `At most ${max} open connections per client.`, 'Retry-After: 5\r\n'),
      );
      return;
    }
    open.set(address, count);
    socket.once('close', () => {
      const left = (open.get(address) ?? 1) - 1;
      if (left > 0) open.set(address, left);
      else open.delete(address);
    });
  });
}
