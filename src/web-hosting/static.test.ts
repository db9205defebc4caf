// Serving the built web app: a small stand-in build in a temporary folder (the real one is
// built by Vite, which this test does not need), served by the real application.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../server.js';
import { useTestApp } from '../testing/app.js';
import { BACKENDS } from '../testing/databases.js';

const PAGE = '<!doctype html><html><head><script type="module" src="/assets/index-abc123.js"></script></head><body><div id="root"></div></body></html>';
const HTML = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

function fakeBuild(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mosaic-web-'));
  fs.mkdirSync(path.join(root, 'assets'));
  fs.writeFileSync(path.join(root, 'index.html'), PAGE);
  fs.writeFileSync(path.join(root, 'assets', 'index-abc123.js'), 'console.log("mosaic")');
  fs.writeFileSync(path.join(root, '.secret'), 'dot files are never served');
  return root;
}

for (const backend of BACKENDS) {
  describe(`the web app served on ${backend}`, () => {
    const t = useTestApp(backend);
    let root: string;
    let app: FastifyInstance;
    let bare: FastifyInstance;
    before(async () => {
      root = fakeBuild();
      app = await buildServer(t.ctx, { webRoot: root });
      bare = await buildServer(t.ctx, { webRoot: path.join(root, 'not-built') });
    });
    after(async () => {
      await app.close();
      await bare.close();
      fs.rmSync(root, { recursive: true, force: true });
    });

    it('answers / with the page, revalidated every time, under the CSP', async () => {
      const response = await app.inject({ method: 'GET', url: '/', headers: { accept: HTML } });
      assert.equal(response.statusCode, 200);
      assert.equal(response.body, PAGE);
      assert.match(String(response.headers['content-type']), /^text\/html/);
      assert.equal(response.headers['cache-control'], 'no-cache');
      assert.match(String(response.headers['content-security-policy']), /script-src 'self'(;|$)/);
      assert.equal(response.headers['x-frame-options'], 'DENY');
    });

    it('serves hashed assets as immutable for a year', async () => {
      const response = await app.inject({ method: 'GET', url: '/assets/index-abc123.js', headers: { accept: '*/*' } });
      assert.equal(response.statusCode, 200);
      assert.equal(response.body, 'console.log("mosaic")');
      assert.equal(response.headers['cache-control'], 'public, max-age=31536000, immutable');
      assert.match(String(response.headers['content-type']), /javascript/);
    });

    it('answers client-side routes with the page, so a reload works (GET and HEAD)', async () => {
      for (const url of ['/workbook', '/files', '/workbook/runs/3', '/login?next=%2Fchat']) {
        const response = await app.inject({ method: 'GET', url, headers: { accept: HTML } });
        assert.equal(response.statusCode, 200, url);
        assert.equal(response.body, PAGE, url);
        assert.equal(response.headers['cache-control'], 'no-cache', url);
      }
      const head = await app.inject({ method: 'HEAD', url: '/chat', headers: { accept: HTML } });
      assert.equal(head.statusCode, 200);
      assert.match(String(head.headers['content-type']), /^text\/html/);
    });

    it('keeps JSON 404s for the API, health, missing assets and non-HTML requests', async () => {
      const cases: [string, string][] = [
        ['/api/nothing-here', HTML],
        ['/api', HTML],
        ['/health/deep', HTML],
        ['/metrics', HTML],
        ['/docs/nothing-here', HTML],
        ['/assets/index-gone.js', HTML],
        ['/workbook', 'application/json'],
      ];
      for (const [url, accept] of cases) {
        const response = await app.inject({ method: 'GET', url, headers: { accept } });
        assert.equal(response.statusCode, 404, url);
        assert.equal(response.json().error.code, 'not_found', url);
      }
      const post = await app.inject({ method: 'POST', url: '/workbook', headers: { accept: HTML } });
      assert.equal(post.statusCode, 404, 'only GET and HEAD are navigations');
      assert.equal(post.json().error.code, 'not_found');
      const api = await app.inject({ method: 'GET', url: '/health' });
      assert.equal(api.statusCode, 200, 'the API itself is unchanged');
      assert.equal(api.json().status, 'ok');
    });

    it('never serves dot files or paths outside the build', async () => {
      for (const url of ['/.secret', '/assets/../.secret', '/%2e%2e/package.json']) {
        const response = await app.inject({ method: 'GET', url, headers: { accept: '*/*' } });
        assert.notEqual(response.body, 'dot files are never served', url);
        assert.equal(response.statusCode, 404, url);
      }
    });

    it('without a build, still serves the API and answers pages with a JSON 404', async () => {
      const page = await bare.inject({ method: 'GET', url: '/', headers: { accept: HTML } });
      assert.equal(page.statusCode, 404);
      assert.equal(page.json().error.code, 'not_found');
      const health = await bare.inject({ method: 'GET', url: '/health' });
      assert.equal(health.statusCode, 200);
    });
  });
}
