import type { FastifyInstance } from 'fastify';
import { sendError } from './error-handler.js';

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * CSRF defence for cookie sessions: a browser always sends Origin on a cross-site unsafe
 * request, so one naming another site is refused. Requests without Origin (curl, server to
 * server) carry no ambient browser credentials worth forging and pass.
 */
/** Compares hosts as URLs do, so `example.org` and `example.org:443` on https are one site. */
function sameHost(origin: string, self: string): boolean {
  try {
    return new URL(origin).host === new URL(self).host;
  } catch {
    // "null" (sandboxed or privacy-sensitive contexts) and garbage are not our origin.
    return false;
  }
}

export function registerOriginCheck(app: FastifyInstance): void {
  app.addHook('onRequest', async (request, reply) => {
    if (!UNSAFE.has(request.method)) return;
    const origin = request.headers.origin;
    if (origin === undefined) return;
    if (!sameHost(origin, `${request.protocol}://${request.host}`)) {
      return sendError(reply, 403, 'forbidden_origin', 'Cross-site requests are not allowed.');
    }
  });
}
