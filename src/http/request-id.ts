import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { FastifyInstance } from 'fastify';

// A proxy's id is accepted only in a shape that cannot forge log lines or bloat them.
const SANE_ID = /^[A-Za-z0-9._:@\/+=-]{1,128}$/;

/**
 * The request id: a proxy's `X-Request-Id` when proxies are trusted (TRUST_PROXY) and the
 * value is sane, so one id follows a request across the proxy's logs and ours; otherwise a
 * fresh UUID. Without a trusted proxy, any client could choose the id and confuse the logs.
 */
export function requestIdGenerator(trustProxy: unknown): (request: IncomingMessage) => string {
  const acceptHeader = trustProxy !== false && trustProxy !== 0;
  return (request) => {
    const given = acceptHeader ? request.headers['x-request-id'] : undefined;
    return typeof given === 'string' && SANE_ID.test(given) ? given : randomUUID();
  };
}

/** Every response carries its request id, so a client's report can be matched with the logs. */
export function registerRequestIdHeader(app: FastifyInstance): void {
  // Set when the request arrives, so answers sent from any later hook carry it too.
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    done();
  });
}
