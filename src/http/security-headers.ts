import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import helmet, { type HelmetOptions } from 'helmet';

function helmetOptions(production: boolean): HelmetOptions {
  return {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        ...(production ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    hsts: production ? { maxAge: 31_536_000, includeSubDomains: true } : false,
  };
}

/**
 * The headers helmet sets for these options, computed once. None depends on the request (no
 * nonces), and @fastify/helmet rebuilt the whole middleware, CSP parsing included, on every
 * request: 8–9 % of who-am-I's busy time in a profile.
 */
export function securityHeaders(production: boolean): Record<string, string> {
  const headers: Record<string, string> = {};
  const response = {
    setHeader(name: string, value: string) {
      headers[name.toLowerCase()] = value;
    },
    removeHeader(name: string) {
      delete headers[name.toLowerCase()];
    },
  };
  helmet(helmetOptions(production))({} as IncomingMessage, response as unknown as ServerResponse, (error?: unknown) => {
    if (error) throw error;
  });
  return headers;
}

/**
 * Security headers on every response, API and web app alike. The Content-Security-Policy
 * allows the app's own origin only: no inline scripts or styles, no third-party hosts, and
 * no framing (clickjacking). HSTS only in production, where TLS is terminated in front of
 * Mosaic; on a plain-http development server it would pin localhost to https.
 *
 * API answers carry personal data: no browser or proxy cache may keep them. `no-store` is set
 * up front, so a route that chooses its own policy (a download's `private, no-store`) simply
 * replaces it.
 */
export function registerSecurityHeaders(app: FastifyInstance, production: boolean): void {
  const everywhere = securityHeaders(production);
  const api = { ...everywhere, 'cache-control': 'no-store' };
  // A callback hook: it runs on every request and does no I/O.
  app.addHook('onRequest', (request, reply, done) => {
    reply.headers(request.url.startsWith('/api/') ? api : everywhere);
    done();
  });
}
