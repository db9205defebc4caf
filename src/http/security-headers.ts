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
 * What an API answer carries (OWASP's REST security headers): JSON is never a page, so the
 * page-oriented headers (framing, referrer, cross-origin opener, DNS prefetch, the legacy IE
 * and Flash ones) protect nothing there. Its CSP loads nothing and allows no framing, in case
 * a browser is ever made to render one; CORP keeps other sites from pulling it into their
 * process with a no-cors request; nosniff stops it being read as a script or a page; answers
 * carry personal data, so no cache may keep them. Every header costs each response its
 * validation in Node (helmet's 11 cost who-am-I ~24,000 of 290,000 instructions, callgrind).
 */
export function apiSecurityHeaders(production: boolean): Record<string, string> {
  // The same HSTS as pages (production only, where TLS is terminated in front of Mosaic).
  const hsts = securityHeaders(production)['strict-transport-security'];
  return {
    'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
    'cross-origin-resource-policy': 'same-origin',
    'x-content-type-options': 'nosniff',
    'cache-control': 'no-store',
    ...(hsts ? { 'strict-transport-security': hsts } : {}),
  };
}

/**
 * Security headers on every response. The web app and every other page (the API docs, the
 * not-found page) get helmet's: a Content-Security-Policy allowing the app's own origin only
 * (no inline scripts or styles, no third-party hosts), no framing (clickjacking), no
 * referrer. Answers under `/api/` get the API set above. HSTS only in production; on a
 * plain-http development server it would pin localhost to https.
 *
 * `no-store` is set up front on API answers, so a route that chooses its own policy (a
 * download's `private, no-store`, its sandboxing CSP) simply replaces it.
 */
export function registerSecurityHeaders(app: FastifyInstance, production: boolean): void {
  const pages = securityHeaders(production);
  const api = apiSecurityHeaders(production);
  // A callback hook: it runs on every request and does no I/O.
  app.addHook('onRequest', (request, reply, done) => {
    reply.headers(isApiRequest(request.routeOptions.url, request.url) ? api : pages);
    done();
  });
}

/**
 * Whether an answer is an API answer, decided by the route the router matched, not by the raw
 * URL: the router decodes percent-escapes, so `/%61pi/auth/me` reaches `/api/auth/me` and must
 * carry its `no-store`. A request no route matched is judged by its decoded path, so an unknown
 * `/%61pi/…` gets the API's not-found answer headers too.
 */
export function isApiRequest(routeUrl: string | undefined, rawUrl: string): boolean {
  if (routeUrl !== undefined) return routeUrl.startsWith('/api/');
  if (rawUrl.startsWith('/api/')) return true;
  const path = rawUrl.split('?')[0] ?? '/';
  if (!path.includes('%')) return false;
  try {
    return decodeURIComponent(path).startsWith('/api/');
  } catch {
    return false;
  }
}
