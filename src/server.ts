import cookie from '@fastify/cookie';
import Fastify, { LogController, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { accountRoutes } from './account/routes.js';
import { closeApiByDefault } from './auth/gate.js';
import { PasswordHasher } from './auth/passwords.js';
import { authRoutes } from './auth/routes.js';
import { SESSION_COOKIE } from './auth/sessions.js';
import { ExtractionPool, extractionLimits } from './files/extract-pool.js';
import { filesRoutes } from './files/routes.js';
import { chatRoutes } from './chat/routes.js';
import { Readiness } from './health/readiness.js';
import { healthRoutes } from './health/routes.js';
import { jobsRoutes } from './jobs/routes.js';
import { legacyRoutes } from './legacy/routes.js';
import { resumesRoutes } from './resumes/routes.js';
import type { AppContext } from './app-context.js';
import { proxyTrust } from './http/client-address.js';
import { capConnectionsPerAddress, clientErrorHandler, timeoutOptions } from './http/connections.js';
import { frameworkErrorHandler, registerErrorHandlers } from './http/error-handler.js';
import { lazyRequestLogger } from './http/logging.js';
import { registerCompression } from './http/compression.js';
import { registerOpenApi } from './http/openapi.js';
import { registerOriginCheck } from './http/origin-check.js';
import { registerLoadShedding } from './http/pressure.js';
import { checkResponseShapes } from './http/response-shapes.js';
import { registerRequestIdHeader, requestIdGenerator } from './http/request-id.js';
import { trackRoutes } from './http/route-table.js';
import { registerSecurityHeaders } from './http/security-headers.js';
import { registerInputRule, validatorCompiler } from './http/validation.js';
import { registerMail } from './mail/plugin.js';
import { registerMetrics } from './metrics/metrics.js';
import { metricsRoutes } from './metrics/routes.js';
import { ps101Routes } from './ps101/routes.js';
import { recoveryRoutes } from './recovery/routes.js';
import { appPageForClientRoutes, registerWebApp, WEB_ROOT } from './web-hosting/static.js';

export interface ServerOptions {
  logger?: FastifyServerOptions['logger'];
  /** The built web app served at `/` (default web/dist); null serves none. */
  webRoot?: string | null;
}

/** Builds the HTTP application around an open database. Listening is the caller's business. */
export async function buildServer(ctx: AppContext, options: ServerOptions = {}): Promise<FastifyInstance> {
  const trustProxy = proxyTrust(ctx.config.trustProxy);
  const app = Fastify({
    logger: options.logger ?? false,
    // A function, never the raw setting: Fastify reads a hop count as "trust nobody".
    trustProxy,
    bodyLimit: 1024 * 1024,
    // While shutting down, requests already on open connections are still served (never a
    // 503), and idle keep-alive connections are closed so the process can exit.
    return503OnClosing: false,
    forceCloseConnections: 'idle',
    ...timeoutOptions(ctx.config.http),
    clientErrorHandler,
    frameworkErrors: frameworkErrorHandler,
    genReqId: requestIdGenerator(trustProxy),
    // Fastify's two info lines per request are work on every request at the default level;
    // the access line below is written at debug level only (errors are logged by the handler).
    logController: new LogController({ disableRequestLogging: true }),
    childLoggerFactory: lazyRequestLogger,
  });
  capConnectionsPerAddress(app.server, ctx.config.http.maxConnectionsPerAddress);
  app.setValidatorCompiler(validatorCompiler);
  const routes = trackRoutes(app);
  app.decorate('ctx', ctx);
  // One per app, shared by every route that hashes or verifies (auth, account deletion).
  const passwords = new PasswordHasher(ctx.config.passwords);
  app.decorate('passwords', passwords);
  app.addHook('onClose', () => passwords.close());
  app.decorateRequest('auth', null);
  registerMail(app);

  const readiness = new Readiness();
  app.decorate('readiness', readiness);
  // Responses finished while draining or shutting down ask the client to close the connection:
  // a kept-alive client (a balancer's pool) then opens its next one elsewhere, and a connection
  // busy when closing began does not idle in keep-alive holding the process open.
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onSend', (_request, reply, payload, done) => {
    if (closing || readiness.draining) reply.header('connection', 'close');
    done(null, payload);
  });

  if (app.log.level === 'debug' || app.log.level === 'trace') {
    app.addHook('onResponse', async (request, reply) => {
      request.log.debug({ method: request.method, url: request.url, statusCode: reply.statusCode, ms: reply.elapsedTime }, 'request');
    });
  }

  registerErrorHandlers(app, routes, appPageForClientRoutes);
  if (ctx.config.checkResponseShapes) checkResponseShapes(app);
  // Before any hook that may answer (load shedding, the Origin check), so every answer has them.
  registerSecurityHeaders(app, ctx.config.production);
  registerRequestIdHeader(app);
  registerLoadShedding(app, ctx.config.pressure);
  registerOriginCheck(app);
  registerInputRule(app);
  await app.register(cookie);
  await registerCompression(app);
  // One per app: the upload routes use it, the metrics read its queue, closing the app stops it.
  const extraction = new ExtractionPool(extractionLimits(ctx.config.extraction));
  app.addHook('onClose', () => extraction.close());
  const metrics = registerMetrics(app, ctx.db, { extractionQueueSize: () => extraction.stats().queued });
  if (ctx.config.metricsToken) await app.register(metricsRoutes, { registry: metrics, token: ctx.config.metricsToken });
  // Before the OpenAPI plugin and every route: it completes their options as they register.
  closeApiByDefault(app);
  await registerOpenApi(app, { sessionCookie: SESSION_COOKIE });

  await app.register(healthRoutes);
  await app.register(authRoutes, { prefix: '/api/auth' });
  await app.register(recoveryRoutes, { prefix: '/api/auth' });
  await app.register(filesRoutes, { prefix: '/api/files', extraction });
  await app.register(jobsRoutes, { prefix: '/api/jobs' });
  await app.register(resumesRoutes, { prefix: '/api/resumes' });
  await app.register(accountRoutes, { prefix: '/api/me' });
  await app.register(ps101Routes, { prefix: '/api/ps101' });
  await app.register(chatRoutes, { prefix: '/api/chat' });
  await app.register(legacyRoutes, { prefix: '/api/legacy' });
  const webRoot = options.webRoot === undefined ? WEB_ROOT : options.webRoot;
  if (webRoot) await registerWebApp(app, webRoot);
  return app;
}
