import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { useTestApp } from '../testing/app.js';
import { BACKENDS } from '../testing/databases.js';
import { isPublicApiRoute, PUBLIC_API_ROUTES } from './public-routes.js';

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

for (const backend of BACKENDS) {
  describe(`the /api gate on ${backend}`, () => {
    const t = useTestApp(backend);

    const apiRoutes = () => t.app.routeTable.routes.filter((route) => route.url === '/api' || route.url.startsWith('/api/'));

    it('answers 401 to every non-public /api route without a session, before reading the body', async () => {
      const privateRoutes = apiRoutes().filter((route) => !isPublicApiRoute(route.method, route.url));
      assert.ok(privateRoutes.length >= 20, `found ${privateRoutes.length} private routes`);
      const open: string[] = [];
      for (const route of privateRoutes) {
        const url = route.url.replace(/:[A-Za-z]+/g, '1');
        for (const cookie of [undefined, 'mosaic_session=not-a-real-token']) {
          // A body that fits no schema: without the gate first, validation would answer 400.
          const response = await t.app.inject({
            method: route.method as 'GET',
            url,
            headers: { ...(cookie ? { cookie } : {}), ...(UNSAFE.has(route.method) ? { 'content-type': 'application/json' } : {}) },
            ...(UNSAFE.has(route.method) ? { payload: '{"unexpected": "x"}' } : {}),
          });
          // HEAD answers carry no body: its status is the check.
          const code = route.method === 'HEAD' ? 'unauthenticated' : (response.json() as { error?: { code: string } }).error?.code;
          if (response.statusCode !== 401 || code !== 'unauthenticated') open.push(`${route.method} ${route.url} (${cookie ? 'unknown token' : 'no cookie'}): ${response.statusCode}`);
        }
      }
      assert.deepEqual(open, [], `routes not closed by the gate (list public ones in src/auth/public-routes.ts): ${open.join('; ')}`);
    });

    it('lists only routes that exist, and lets them answer without a session', async () => {
      const registered = new Set(apiRoutes().map((route) => `${route.method} ${route.url}`));
      for (const entry of PUBLIC_API_ROUTES) assert.ok(registered.has(entry), `${entry} is registered`);
      const logout = await t.client().post('/api/auth/logout');
      assert.equal(logout.status, 204);
      const flow = await t.client().get('/api/ps101/flow');
      assert.equal(flow.status, 200);
      const guest = await t.client().post('/api/auth/guest');
      assert.equal(guest.status, 201);
    });

    it('still validates a request that has a session', async () => {
      const client = await t.registeredClient();
      const response = await client.put('/api/ps101', { unexpected: true });
      assert.equal(response.status, 400);
    });
  });
}
