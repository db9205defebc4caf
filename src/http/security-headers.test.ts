import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { useTestApp } from '../testing/app.js';
import { BACKENDS } from '../testing/databases.js';

for (const backend of BACKENDS) {
  describe(`security headers on ${backend}`, () => {
    const t = useTestApp(backend);
    const production = useTestApp(backend, { production: true, nodeEnv: 'production' });

    it('carry a same-origin-only CSP, no framing, no referrer and nosniff on every page', async () => {
      for (const url of ['/health', '/no-such-page']) {
        const { headers } = await t.client().get(url);
        const csp = String(headers['content-security-policy']);
        assert.match(csp, /default-src 'self'/, url);
        assert.match(csp, /script-src 'self'(;|$)/, `${url}: scripts from this origin only, nothing inline`);
        assert.match(csp, /frame-ancestors 'none'/, url);
        assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|https?:/, url);
        assert.equal(headers['x-frame-options'], 'DENY', url);
        assert.equal(headers['referrer-policy'], 'no-referrer', url);
        assert.equal(headers['x-content-type-options'], 'nosniff', url);
        assert.equal(headers['strict-transport-security'], undefined, `${url}: no HSTS outside production`);
      }
    });

    it('on API answers: a CSP loading nothing and refusing frames, same-origin CORP, nosniff, no-store, and no page headers', async () => {
      for (const url of ['/api/auth/me', '/api/no-such-route']) {
        const { headers } = await t.client().get(url);
        assert.equal(headers['content-security-policy'], "default-src 'none'; frame-ancestors 'none'", url);
        assert.equal(headers['cross-origin-resource-policy'], 'same-origin', url);
        assert.equal(headers['x-content-type-options'], 'nosniff', url);
        assert.equal(headers['cache-control'], 'no-store', url);
        assert.equal(headers['strict-transport-security'], undefined, `${url}: no HSTS outside production`);
        for (const page of ['x-frame-options', 'referrer-policy', 'cross-origin-opener-policy', 'x-xss-protection']) {
          assert.equal(headers[page], undefined, `${url}: ${page} is for pages`);
        }
      }
    });

    it('are chosen by the route matched, not the raw URL: a percent-encoded /api path gets the API set', async () => {
      for (const url of ['/%61pi/auth/me', '/%61pi/no-such-route', '/api%2Fauth/me']) {
        const { headers, status } = await t.client().get(url);
        assert.notEqual(status, 500, url);
        assert.equal(headers['cache-control'], 'no-store', url);
        assert.equal(headers['content-security-policy'], "default-src 'none'; frame-ancestors 'none'", url);
        assert.equal(headers['x-frame-options'], undefined, url);
      }
      const page = await t.client().get('/%68ealth');
      assert.equal(page.headers['x-frame-options'], 'DENY', 'a page reached through an escape keeps the page set');
    });

    it('are on answers from the earliest hooks too (a refused cross-site request)', async () => {
      const response = await t
        .client()
        .post('/api/auth/login', { email: 'a@example.org', password: 'whatever password' }, { origin: 'https://evil.example' });
      assert.equal(response.status, 403);
      assert.equal(response.headers['content-security-policy'], "default-src 'none'; frame-ancestors 'none'");
      assert.equal(response.headers['x-content-type-options'], 'nosniff');
      assert.equal(response.headers['cache-control'], 'no-store');
      assert.match(String(response.headers['x-request-id']), /^[0-9a-f-]{36}$/);
    });

    it('add HSTS in production only', async () => {
      const { headers } = await production.client().get('/health');
      assert.match(String(headers['strict-transport-security']), /max-age=31536000/);
      assert.match(String(headers['content-security-policy']), /upgrade-insecure-requests/);
      const api = await production.client().get('/api/auth/me');
      assert.equal(api.headers['strict-transport-security'], 'max-age=31536000; includeSubDomains');
    });
  });
}
