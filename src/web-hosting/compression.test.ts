// Compression: the web app's files go out as the brotli or gzip copies the build wrote,
// chosen by Accept-Encoding; larger JSON answers are compressed on the fly; stored files are
// sent exactly as stored. The first load is measured in bytes over the wire, on the real build.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { COMPRESSION_THRESHOLD_BYTES } from '../http/compression.js';
import { buildServer } from '../server.js';
import { useTestApp } from '../testing/app.js';
import { buildWebIfStale } from '../testing/browser/web-build.js';
import { BACKENDS } from '../testing/databases.js';
import { uploadFile } from '../testing/person-data.js';
import { WEB_ROOT } from './static.js';

/** What the first load may move over the wire: the page and everything it loads. */
const FIRST_LOAD_BUDGET_BYTES = 130 * 1024;
const HTML = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

function decode(raw: Buffer, encoding: unknown): Buffer {
  if (encoding === 'br') return brotliDecompressSync(raw);
  if (encoding === 'gzip') return gunzipSync(raw);
  assert.equal(encoding, undefined, `unexpected content-encoding ${String(encoding)}`);
  return raw;
}

/** The same-origin scripts, stylesheets, preloads and icons a page names. */
function pageResources(html: string): string[] {
  const urls = [...html.matchAll(/<(?:script|link)\b[^>]*?\s(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
  return urls.filter((url) => url.startsWith('/') && !url.startsWith('//'));
}

for (const backend of BACKENDS) {
  describe(`compression on ${backend}`, () => {
    const t = useTestApp(backend);
    let app: FastifyInstance;
    before(async () => {
      buildWebIfStale(() => {});
      app = await buildServer(t.ctx, { webRoot: WEB_ROOT });
    });
    after(() => app.close());

    it(`moves the first load (page, scripts, styles) in at most ${FIRST_LOAD_BUDGET_BYTES / 1024} KB with Accept-Encoding: br, gzip`, async (test) => {
      const page = await app.inject({ method: 'GET', url: '/', headers: { accept: HTML, 'accept-encoding': 'br, gzip' } });
      assert.equal(page.statusCode, 200);
      const html = decode(page.rawPayload, page.headers['content-encoding']).toString('utf8');
      const resources = pageResources(html);
      assert.ok(resources.some((url) => url.endsWith('.js')) && resources.some((url) => url.endsWith('.css')), resources.join(' '));
      let wire = page.rawPayload.length;
      const lines = [`/ ${page.rawPayload.length} B (${page.headers['content-encoding'] ?? 'identity'})`];
      for (const url of resources) {
        const response = await app.inject({ method: 'GET', url, headers: { accept: '*/*', 'accept-encoding': 'br, gzip' } });
        assert.equal(response.statusCode, 200, url);
        assert.equal(response.headers['content-encoding'], 'br', `${url} goes out as its brotli copy`);
        assert.match(String(response.headers.vary), /accept-encoding/i, url);
        const original = fs.readFileSync(path.join(WEB_ROOT, url));
        assert.ok(decode(response.rawPayload, 'br').equals(original), `${url} decodes to the built file`);
        wire += response.rawPayload.length;
        lines.push(`${url} ${response.rawPayload.length} B of ${original.length} B`);
      }
      test.diagnostic(`first load over the wire: ${wire} B (${(wire / 1024).toFixed(1)} KB): ${lines.join('; ')}`);
      assert.ok(wire <= FIRST_LOAD_BUDGET_BYTES, `the first load moves ${wire} bytes, over ${FIRST_LOAD_BUDGET_BYTES}`);
    });

    it('negotiates: gzip for a gzip-only client, the file itself for none, and Vary: Accept-Encoding on every answer', async () => {
      const page = await app.inject({ method: 'GET', url: '/', headers: { accept: HTML } });
      const script = pageResources(page.body).find((url) => url.endsWith('.js'))!;
      const original = fs.readFileSync(path.join(WEB_ROOT, script));
      const cases: [string | undefined, string | undefined][] = [
        ['gzip', 'gzip'],
        ['gzip, deflate', 'gzip'],
        ['br;q=0, gzip', 'gzip'],
        ['identity', undefined],
        [undefined, undefined],
      ];
      for (const [accept, expected] of cases) {
        const response = await app.inject({ method: 'GET', url: script, headers: accept === undefined ? {} : { 'accept-encoding': accept } });
        assert.equal(response.statusCode, 200, String(accept));
        assert.equal(response.headers['content-encoding'], expected, String(accept));
        assert.match(String(response.headers.vary), /accept-encoding/i, `${accept}: a shared cache must not mix encodings`);
        assert.ok(decode(response.rawPayload, expected).equals(original), String(accept));
        assert.equal(response.headers['cache-control'], 'public, max-age=31536000, immutable', String(accept));
        assert.match(String(response.headers['content-type']), /javascript/, String(accept));
      }
      // A client-side route's page (from the not-found handler) is negotiated as well.
      const route = await app.inject({ method: 'GET', url: '/workbook', headers: { accept: HTML, 'accept-encoding': 'gzip' } });
      assert.equal(route.statusCode, 200);
      assert.match(String(route.headers.vary), /accept-encoding/i);
      assert.match(decode(route.rawPayload, route.headers['content-encoding']).toString('utf8'), /<div id="root">/);
    });

    it(`compresses JSON answers of ${COMPRESSION_THRESHOLD_BYTES} bytes and more, not smaller ones`, async () => {
      const client = await t.registeredClient();
      for (let i = 0; i < 6; i++) {
        assert.equal((await client.post('/api/chat/messages', { content: `I would like to work with wood, message ${i}.` })).status, 201);
      }
      const plain = await client.get('/api/chat/messages');
      assert.ok(plain.raw.length >= COMPRESSION_THRESHOLD_BYTES, `the page is ${plain.raw.length} bytes`);
      assert.equal(plain.headers['content-encoding'], undefined, 'no Accept-Encoding, no compression');
      for (const encoding of ['br', 'gzip']) {
        const response = await client.get('/api/chat/messages', { 'accept-encoding': encoding });
        assert.equal(response.status, 200);
        assert.equal(response.headers['content-encoding'], encoding);
        assert.match(String(response.headers.vary), /accept-encoding/i);
        assert.equal(response.headers['cache-control'], 'no-store', 'still the API header set');
        assert.ok(response.raw.length < plain.raw.length / 2, `${encoding}: ${response.raw.length} of ${plain.raw.length} bytes`);
        assert.deepEqual(JSON.parse(decode(response.raw, encoding).toString('utf8')), plain.body);
      }
      const me = await client.get('/api/auth/me', { 'accept-encoding': 'br, gzip' });
      assert.ok(me.raw.length < COMPRESSION_THRESHOLD_BYTES);
      assert.equal(me.headers['content-encoding'], undefined, 'a small answer is sent as it is');
      const exported = await client.get('/api/me/export', { 'accept-encoding': 'gzip' });
      assert.equal(exported.status, 200);
      assert.equal(exported.headers['content-encoding'], 'gzip', 'the export is compressed');
      assert.equal(JSON.parse(decode(exported.raw, 'gzip').toString('utf8')).chat.messages.length, 12);
    });

    it('sends stored files exactly as stored, whatever the client accepts', async () => {
      const client = await t.registeredClient();
      const text = Buffer.from('A plain text note that would compress very well. '.repeat(200));
      const uploaded = await uploadFile(client, text, 'notes.txt');
      assert.equal(uploaded.status, 201);
      const download = await client.get(`/api/files/${uploaded.body.file.id}/content`, { 'accept-encoding': 'br, gzip' });
      assert.equal(download.status, 200);
      assert.equal(download.headers['content-encoding'], undefined);
      assert.ok(download.raw.equals(text), 'the very bytes uploaded');
      assert.equal(download.headers.etag, `"${uploaded.body.file.sha256}"`);
      // An export with the files is mostly their bytes: sent as it is.
      const withFiles = await client.get('/api/me/export?includeFiles=1', { 'accept-encoding': 'br, gzip' });
      assert.equal(withFiles.status, 200);
      assert.equal(withFiles.headers['content-encoding'], undefined);
      assert.equal(withFiles.body.files.length, 1);
    });

    it('never inflates a compressed request body', async () => {
      const client = await t.registeredClient();
      const body = gzipSync(JSON.stringify({ content: 'hello' }));
      const response = await client.request({
        method: 'POST',
        url: '/api/chat/messages',
        payload: body,
        headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
      });
      assert.ok(response.status >= 400 && response.status < 500, `${response.status}`);
      assert.equal(typeof response.body.error?.code, 'string');
      assert.deepEqual((await client.get('/api/chat/messages')).body.messages, []);
    });
  });
}
