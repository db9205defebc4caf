import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import { sendError } from '../http/error-body.js';
import { alwaysAdmitted } from '../http/route-config.js';

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * `GET /metrics` in the Prometheus text format, only when METRICS_TOKEN is set and only for a
 * request bearing it: the figures describe the service's load and users, not for the public.
 */
export async function metricsRoutes(app: FastifyInstance, options: { registry: Registry; token: string }): Promise<void> {
  const expected = digest(options.token);
  app.get('/metrics', { config: alwaysAdmitted }, async (request, reply) => {
    const header = request.headers.authorization ?? '';
    const given = header.startsWith('Bearer ') ? header.slice('Bearer '.length) : '';
    // Equal-length digests: the comparison takes the same time whatever the guess.
    if (!timingSafeEqual(digest(given), expected)) {
      reply.header('www-authenticate', 'Bearer');
      return sendError(reply, 401, 'unauthenticated', 'A valid metrics token is required.');
    }
    return reply.type(options.registry.contentType).send(await options.registry.metrics());
  });
}
