import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { NotFoundFallback } from '../http/error-handler.js';

/** Where `vite build` writes the web app (the same from src/web and from the compiled dist/web). */
export const WEB_ROOT = fileURLToPath(new URL('../../web/dist/', import.meta.url));
export const APP_PAGE = 'index.html';

// Vite names every asset by its content hash, so a URL's bytes never change: cache for a year.
// The page itself must be revalidated, or a deploy would keep old asset URLs alive.
const IMMUTABLE = 'public, max-age=31536000, immutable';
const REVALIDATE = 'no-cache';

/**
 * Serves the built web app at `/`. Returns false (and serves nothing) when it has not been
 * built, so the API still runs. Files are routed one by one (no wildcard route), which keeps
 * unknown paths in the not-found handler: there client-side routes get the page and
 * `/api/*`, `/health` keep their JSON 404 (and their 405s for a wrong method).
 */
export async function registerWebApp(app: FastifyInstance, root: string = WEB_ROOT): Promise<boolean> {
  if (!existsSync(path.join(root, APP_PAGE))) {
    app.log.warn(`web app not built (no ${path.join(root, APP_PAGE)}): run \`npm run build:web\``);
    return false;
  }
  await app.register(fastifyStatic, {
    root,
    wildcard: false,
    cacheControl: false,
    serveDotFiles: false,
    // The build writes .br and .gz copies (scripts/build-web.ts): the one the client accepts
    // is sent, with `Vary: Accept-Encoding`, and no CPU spent compressing per request.
    preCompressed: true,
    setHeaders(reply, filePath) {
      // For a compressed copy too (`assets/x.js.br`): it lies where its original does.
      const relative = path.relative(root, filePath).split(path.sep);
      reply.header('cache-control', relative[0] === 'assets' ? IMMUTABLE : REVALIDATE);
    },
  });
  return true;
}

// A missing hashed asset (an old page after a deploy) must fail plainly, not become the page;
// so must what the server answers itself (the docs, the metrics, which may be turned off).
const NOT_APP_PAGES = ['/api', '/health', '/assets', '/docs', '/metrics'];

/** A browser navigation to a client-side route: a GET or HEAD for HTML outside the API. */
export function isAppPageRequest(request: FastifyRequest): boolean {
  if (request.method !== 'GET' && request.method !== 'HEAD') return false;
  const pathname = request.url.split('?')[0] ?? '/';
  if (NOT_APP_PAGES.some((prefix) => pathname === prefix || pathname.startsWith(`${prefix}/`))) return false;
  return (request.headers.accept ?? '').includes('text/html');
}

/** A reload of a client-side route (/workbook, /files…) gets the web app's page, once it is served. */
export const appPageForClientRoutes: NotFoundFallback = (request, reply) =>
  reply.server.hasReplyDecorator('sendFile') && isAppPageRequest(request) ? reply.sendFile(APP_PAGE) : undefined;
