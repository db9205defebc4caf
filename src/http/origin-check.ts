import type { FastifyInstance } from 'fastify';
import { sendError } from './error-handler.js';

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * CSRF defence for cookie sessions: a browser always sends Origin on a cross-site unsafe
 * request, so one naming another site is refused. Requests without Origin (curl, server to
 * server) carry no ambient browser credentials worth forging and pass.
 */
export function registerOriginCheck(app: FastifyInstance): void {
  app.addHook('onRequest', async (request, reply) => {
    if (!UNSAFE.has(request.method)) return;
    const origin = request.headers.origin;
    if (origin === undefined) return;
    let originHost: string | null = null;
    try {
      originHost = origin === 'null' ? null : new URL(origin).host;
    } catch {
      originHost = null;
    }
    if (originHost === null || originHost.toLowerCase() !== request.host.toLowerCase()) {
      return sendError(reply, 403, 'forbidden_origin', 'Cross-site requests are not allowed.');
    }
  });
}
