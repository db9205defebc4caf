import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { FastifyInstance } from 'fastify';

// A proxy's id is accepted only in a shape that cannot forge log lines or bloat them.
const SANE_ID = /^[A-Za-z0-9._:@\/+=-]{1,128}$/;

/**
 * The request id: a proxy's `X-Request-Id` when the connection comes from a trusted proxy
 * (TRUST_PROXY) and the value is sane, so one id follows a request across the proxy's logs and
 * ours; otherwise a fresh UUID. From anyone else, a client could choose the id and confuse the logs.
 */
export function requestIdGenerator(trust: false | ((address: string, hop: number) => boolean)): (request: IncomingMessage) => string {
  return (request) => {
    const peer = request.socket.remoteAddress;
    const given = trust && peer !== undefined && trust(peer, 0) ? request.headers['x-request-id'] : undefined;
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
