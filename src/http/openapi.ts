import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance, RouteOptions } from 'fastify';

declare module 'fastify' {
  interface FastifyInstance {
    /** `METHOD /path` of every route registered without a 2xx response schema (should be none). */
    routesWithoutResponseSchema: string[];
  }
}

// The docs page is swagger-ui's own files from this server: scripts and styles are files
// (no inline code), the spec validator badge (an external host) is off, so the page works
// under the app's policy of 'self' only.
export const DOCS_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; frame-ancestors 'none'; base-uri 'self'";

function hasSuccessSchema(route: RouteOptions): boolean {
  const response = route.schema?.response as Record<string, unknown> | undefined;
  return response !== undefined && Object.keys(response).some((status) => /^2(\d\d|xx)$/i.test(status));
}

/**
 * OpenAPI 3.1 generated from the routes' schemas, browsable at `/docs` and as JSON at
 * `/docs/openapi.json`. Registered before the routes, whose `onRoute` hooks it needs. Every
 * route is also checked for a response schema: with one, Fastify serializes through a
 * compiled serializer and sends only the fields the schema names.
 */
export async function registerOpenApi(app: FastifyInstance, { sessionCookie }: { sessionCookie: string }): Promise<void> {
  const missing: string[] = [];
  app.decorate('routesWithoutResponseSchema', missing);
  app.addHook('onRoute', (route) => {
    if (route.schema?.hide || hasSuccessSchema(route)) return;
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) if (method !== 'HEAD') missing.push(`${method} ${route.url}`);
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Mosaic API',
        version: '1',
        description: 'Career coaching: accounts, the PS101 workbook, coach chat, files, job matches, résumés. ' +
          'Errors are always `{"error":{"code","message"}}`.',
      },
      components: {
        securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: sessionCookie } },
      },
    },
  });
  await app.register(swaggerUi, {
    routePrefix: '/docs',
    uiConfig: { deepLinking: false },
    validatorUrl: false,
    staticCSP: DOCS_CSP,
  });
  app.get('/docs/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}
