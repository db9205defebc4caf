import type { FastifyInstance } from 'fastify';
import { schemaHealth } from '../db/migrate.js';
import { sendError } from '../http/error-handler.js';
import { Type } from 'typebox';

const Health = Type.Object({
  status: Type.Literal('ok'),
  database: Type.Object({
    backend: Type.Union([Type.Literal('sqlite'), Type.Literal('postgres')]),
    schemaVersion: Type.Integer(),
    pendingMigrations: Type.Integer(),
    persistent: Type.Boolean({ description: 'whether the data survives a redeploy' }),
    persistence: Type.String({ description: 'why it does or does not' }),
  }),
});

/** `GET /health`: 200 while the database answers, 503 when it does not (load balancers take the instance out). */
export async function healthRoutes(app: FastifyInstance): Promise<void> {
  app.get('/health', { schema: { response: { 200: Health } } }, async (request, reply) => {
    const { db, backend } = app.ctx;
    try {
      const status = await schemaHealth(db);
      return {
        status: 'ok',
        database: {
          backend,
          schemaVersion: status.schemaVersion,
          pendingMigrations: status.pendingMigrations,
          persistent: app.ctx.persistence.persistent,
          persistence: app.ctx.persistence.reason,
        },
      };
    } catch (error) {
      request.log.warn({ err: error }, 'health check: database unreachable');
      return sendError(reply, 503, 'database_unavailable', 'The database cannot be reached.', {
        database: { backend },
      });
    }
  });
}
