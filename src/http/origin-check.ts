import type { FastifyInstance } from 'fastify';
import { sendError } from './error-body.js';

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Compares origins as browsers do: scheme, host and port (`https://host` is another origin
 * than `http://host`, and `ws://host` is no page's origin at all). Default ports normalise,
 * so `http://example.org:80` is `http://example.org`.
 */
function sameOrigin(origin: string, self: string): boolean {
  try {
    const parsed = new URL(origin);
    // URL gives "null" as the origin of schemes without one; they never match.
    return parsed.origin !== 'null' && parsed.origin === new URL(self).origin;
  } catch {
    // "null" (sandboxed or privacy-sensitive contexts) and garbage are not our origin.
    return false;
  }
}

/**
 * CSRF defence for cookie sessions: a browser always sends Origin on a cross-site unsafe
 * request, so one naming another origin is refused. Requests without Origin (curl, server to
 * server) carry no ambient browser credentials worth forging and pass.
 */
export function registerOriginCheck(app: FastifyInstance): void {
  // A callback hook: it runs on every request and does no I/O. Answering ends the request,
  // so `done` is called only to let the request through.
  app.addHook('onRequest', (request, reply, done) => {
    const origin = UNSAFE.has(request.method) ? request.headers.origin : undefined;
    if (origin !== undefined && !sameOrigin(origin, `${request.protocol}://${request.host}`)) {
      sendError(reply, 403, 'forbidden_origin', 'Cross-site requests are not allowed.');
      return;
    }
    done();
  });
}
