import type { FastifyInstance } from 'fastify';
import { checkDatabaseFile } from '../db/connection.js';
import { schemaHealth } from '../db/migrate.js';
import { sendError } from '../http/error-body.js';
import { alwaysAdmitted, PressureReport, pressureReport } from '../http/pressure.js';
import { Type } from 'typebox';

const Persistence = {
  backend: Type.Union([Type.Literal('sqlite'), Type.Literal('postgres')]),
  persistent: Type.Boolean({ description: 'whether the data survives a redeploy' }),
  persistence: Type.String({ description: 'why it does or does not' }),
};

const Liveness = Type.Object({
  status: Type.Literal('ok'),
  database: Type.Object(Persistence),
  pressure: PressureReport,
});

const Ready = Type.Object({
  status: Type.Literal('ready'),
  database: Type.Object({
    ...Persistence,
    schemaVersion: Type.Integer(),
    pendingMigrations: Type.Integer(),
  }),
  pressure: PressureReport,
});

/**
 * `GET /health` is liveness: 200 whenever the process answers at all. It never asks the
 * database, so a PostgreSQL blip does not fail every instance's check at once (a balancer then
 * has nowhere to send anyone) nor make Kubernetes restart every pod.
 *
 * `GET /health/ready` is readiness, what balancers route by: 503 while starting, while
 * draining after SIGTERM, and while the database cannot be reached; 200 otherwise.
 *
 * Neither is ever shed under load: they report the pressure instead, since taking every
 * overloaded instance out would turn a spike into an outage.
 */
export async function healthRoutes(app: FastifyInstance): Promise<void> {
  const persistence = () => ({
    backend: app.ctx.backend,
    persistent: app.ctx.persistence.persistent,
    persistence: app.ctx.persistence.reason,
  });

  app.get('/health', { config: alwaysAdmitted, schema: { response: { 200: Liveness } } }, async () => ({
    status: 'ok',
    database: persistence(),
    pressure: pressureReport(app),
  }));

  app.get('/health/ready', { config: alwaysAdmitted, schema: { response: { 200: Ready } } }, async (request, reply) => {
    const { db, backend } = app.ctx;
    const state = app.readiness.state;
    if (state !== 'ready') {
      reply.header('retry-after', '5');
      return sendError(reply, 503, state === 'starting' ? 'starting' : 'draining', state === 'starting' ? 'The server is starting.' : 'The server is shutting down.');
    }
    try {
      checkDatabaseFile(db);
      const status = await schemaHealth(db);
      return {
        status: 'ready',
        database: { ...persistence(), schemaVersion: status.schemaVersion, pendingMigrations: status.pendingMigrations },
        pressure: pressureReport(app),
      };
    } catch (error) {
      request.log.warn({ err: error }, 'readiness check: database unavailable');
      reply.header('retry-after', '5');
      return sendError(reply, 503, 'database_unavailable', 'The database cannot be reached.', {
        database: { backend },
      });
    }
  });
}
