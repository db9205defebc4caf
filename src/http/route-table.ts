import Router from 'find-my-way';
import type { FastifyInstance } from 'fastify';

export interface KnownRoute {
  method: string;
  url: string;
}

/**
 * Every route the application registered, as a router of its own: the not-found handler asks
 * it which methods a path does answer (405 with `Allow`), and the fuzzer enumerates it so a
 * new route is covered without editing the fuzzer.
 */
export class RouteTable {
  readonly routes: KnownRoute[] = [];
  private readonly methods = new Set<string>();
  private readonly router = Router();

  add(method: string, url: string): void {
    if (this.routes.some((route) => route.method === method && route.url === url)) return;
    this.routes.push({ method, url });
    this.methods.add(method);
    this.router.on(method as Router.HTTPMethod, url, () => undefined);
  }

  /** The methods that answer this path (HEAD wherever GET does), empty for an unknown path. */
  allowedMethods(path: string): string[] {
    const allowed = [...this.methods].filter((method) => this.router.find(method as Router.HTTPMethod, path) !== null);
    if (allowed.includes('GET') && !allowed.includes('HEAD')) allowed.push('HEAD');
    return allowed.sort();
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    routeTable: RouteTable;
  }
}

/** Records every route registered from now on (call it before registering the routes). */
export function trackRoutes(app: FastifyInstance): RouteTable {
  const table = new RouteTable();
  app.decorate('routeTable', table);
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) table.add(method, route.url);
  });
  return table;
}
