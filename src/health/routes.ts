import type { FastifyInstance } from 'fastify';
import { checkDatabaseFile } from '../db/connection.js';
import { schemaHealth } from '../db/migrate.js';
import { sendError } from '../http/error-body.js';
import { alwaysAdmitted, PressureReport, pressureReport } from '../http/pressure.js';
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
  pressure: PressureReport,
});

/**
 * `GET /health`: 200 while the database answers, 503 when it does not (load balancers take the
 * instance out). Never shed under load: it reports the pressure instead, and stays 200, since
 * taking every overloaded instance out would turn a spike into an outage.
 */
export async function healthRoutes(app: FastifyInstance): Promise<void> {
  app.get('/health', { config: alwaysAdmitted, schema: { response: { 200: Health } } }, async (request, reply) => {
    const { db, backend } = app.ctx;
    try {
      checkDatabaseFile(db);
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
        pressure: pressureReport(app),
      };
    } catch (error) {
      request.log.warn({ err: error }, 'health check: database unavailable');
      reply.header('retry-after', '5');
      return sendError(reply, 503, 'database_unavailable', 'The database cannot be reached.', {
        database: { backend },
      });
    }
  });
}
