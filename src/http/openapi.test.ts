import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Validator } from '@seriousme/openapi-schema-validator';
import { useTestApp } from '../testing/app.js';
import { BACKENDS } from '../testing/databases.js';
import { isPublicApiRoute } from '../auth/public-routes.js';
import { DOCS_CSP } from './openapi.js';

type Operation = {
  responses?: Record<string, { content?: Record<string, { schema?: unknown }> }>;
  security?: Record<string, string[]>[];
};

for (const backend of BACKENDS) {
  describe(`API contract on ${backend}`, () => {
    const t = useTestApp(backend);

    it('gives every route a 2xx response schema (compiled serializer, no field leaks)', () => {
      assert.deepEqual(
        t.app.routesWithoutResponseSchema,
        [],
        `routes registered without a 2xx response schema (add schema.response to each): ${t.app.routesWithoutResponseSchema.join(', ')}`,
      );
    });

    it('serves a valid OpenAPI 3.1 document at /docs/openapi.json covering the API', async () => {
      const response = await t.client().get('/docs/openapi.json');
      assert.equal(response.status, 200);
      const spec = response.body as { openapi: string; paths: Record<string, Record<string, Operation>> };
      assert.equal(spec.openapi, '3.1.0');
      const result = await new Validator().validate(spec as Parameters<Validator['validate']>[0]);
      assert.equal(result.valid, true, JSON.stringify(result.errors, null, 2));

      for (const [path, operation] of [
        ['/api/auth/me', 'get'],
        ['/api/chat/messages', 'get'],
        ['/api/ps101', 'put'],
        ['/api/files/{id}/content', 'get'],
        ['/health', 'get'],
      ] as const) {
        assert.ok((spec.paths[path] ?? spec.paths[`${path}/`])?.[operation], `${operation} ${path} is documented`);
      }
      // Every documented operation describes its success body (204s have none).
      for (const [path, operations] of Object.entries(spec.paths)) {
        for (const [method, operation] of Object.entries(operations)) {
          const success = Object.entries(operation.responses ?? {}).filter(([status]) => status.startsWith('2'));
          assert.ok(success.length > 0, `${method} ${path} documents a success response`);
          for (const [status, body] of success) {
            if (status === '204') continue;
            assert.ok(body.content && Object.values(body.content)[0]?.schema, `${method} ${path} ${status} has a schema`);
          }
        }
      }
      assert.ok(!JSON.stringify(spec).includes('passwordHash'), 'no credential field appears in the contract');

      // Every operation behind the gate declares the session cookie; public ones declare none.
      const schemes = (spec as { components?: { securitySchemes?: Record<string, { in: string; name: string }> } }).components?.securitySchemes;
      assert.deepEqual(schemes?.session, { type: 'apiKey', in: 'cookie', name: 'mosaic_session' });
      let gated = 0;
      for (const [path, operations] of Object.entries(spec.paths)) {
        if (!path.startsWith('/api')) continue;
        const url = path.replace(/\{(\w+)\}/g, ':$1');
        for (const [method, operation] of Object.entries(operations)) {
          const isPublic = isPublicApiRoute(method.toUpperCase(), url) || isPublicApiRoute(method.toUpperCase(), url.replace(/\/$/, ''));
          if (isPublic) assert.equal(operation.security, undefined, `${method} ${path} is public`);
          else {
            assert.deepEqual(operation.security, [{ session: [] }], `${method} ${path} declares the session cookie`);
            gated += 1;
          }
        }
      }
      assert.ok(gated >= 20, `${gated} operations need a session`);
    });

    it('drops fields a response schema does not name', async () => {
      const client = await t.registeredClient();
      const response = await client.get('/api/auth/me');
      assert.deepEqual(Object.keys(response.body.user).sort(), ['createdAt', 'email', 'emailVerified', 'guest', 'id']);
    });

    it('serves the browsable page from this server only, under a self-only CSP', async () => {
      const client = t.client();
      const page = await client.get('/docs/');
      assert.equal(page.status, 200);
      assert.match(String(page.headers['content-type']), /text\/html/);
      assert.equal(page.headers['content-security-policy'], DOCS_CSP);
      const html = page.body as string;
      assert.doesNotMatch(html, /<script>(?!\s*<\/script>)|<script(?![^>]*\bsrc=)[^>]*>\s*\S/i, 'no inline script');
      assert.doesNotMatch(html, /\b(src|href)="(https?:)?\/\//i, 'no asset from another host');
      const assets = [...html.matchAll(/\b(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
      assert.ok(assets.some((a) => a.endsWith('swagger-ui-bundle.js')));
      for (const asset of assets) {
        const url = new URL(asset, 'http://localhost/docs/').pathname;
        const response = await client.get(url);
        assert.equal(response.status, 200, `${url} is served`);
      }
      const initializer = await client.get('/docs/static/swagger-initializer.js');
      assert.match(initializer.body as string, /validatorUrl: null/);
      // The spec comes from this server (a relative URL); the only http(s) text is a comment.
      assert.match(initializer.body as string, /url: resolveUrl\('\.\/json'\)/);
    });
  });
}
