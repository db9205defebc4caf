import assert from 'node:assert/strict';
import net from 'node:net';
import { describe, it } from 'node:test';
import { useTestApp, type TestResponse } from '../testing/app.js';
import { BACKENDS } from '../testing/databases.js';
import { multipartBody } from '../testing/fixtures.js';

function assertContract(response: TestResponse, status: number, code: string, label: string) {
  assert.equal(response.status, status, `${label}: ${response.raw.toString('utf8').slice(0, 200)}`);
  assert.match(String(response.headers['content-type']), /^application\/json/, label);
  assert.deepEqual(Object.keys(response.body), ['error'], label);
  assert.equal(response.body.error.code, code, label);
  assert.equal(typeof response.body.error.message, 'string', label);
  assert.doesNotMatch(response.raw.toString('utf8'), /\bat .+:\d+:\d+|statusCode|FST_/, `${label}: no stack or framework internals`);
}

/** Sends raw bytes to a listening server and returns the raw answer (the socket is closed by the server). */
function rawRequest(port: number, request: string | Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let answer = '';
    socket.on('data', (chunk) => (answer += chunk.toString('utf8')));
    socket.on('error', reject);
    socket.on('close', () => resolve(answer));
    socket.end(request);
  });
}

function parseRaw(answer: string): { status: number; headers: string; body: any } {
  const [head = '', body = ''] = answer.split('\r\n\r\n');
  return { status: Number(head.split(' ')[1]), headers: head.toLowerCase(), body: JSON.parse(body) };
}

for (const backend of BACKENDS) {
  describe(`the error contract on ${backend}`, () => {
    const t = useTestApp(backend);

    it("puts Fastify's own errors in the shape: bad URL, over-long param, content types, JSON", async () => {
      const client = await t.registeredClient();
      assertContract(await client.get('/api/files/%zz/content'), 400, 'invalid_url', '%zz in a path');
      assertContract(await client.get('/api/resumes/%E0%A4%A'), 400, 'invalid_url', 'a truncated escape');
      assertContract(await client.get(`/api/resumes/${'7'.repeat(5000)}`), 414, 'uri_too_long', 'a 5000-digit id');
      const post = (payload: string, type: string) =>
        client.request({ method: 'POST', url: '/api/chat/messages', payload, headers: { 'content-type': type } });
      assertContract(await post('x', 'application/x-weird'), 415, 'unsupported_media_type', 'unknown content type');
      assertContract(await post('{"content":"hi"', 'application/json'), 400, 'invalid_json', 'truncated JSON');
      assertContract(await post('', 'application/json'), 400, 'invalid_json', 'empty JSON');
      assertContract(await post('{"__proto__":{"x":1}}', 'application/json'), 400, 'invalid_json', 'prototype poisoning');
      assertContract(await post('hi', 'text/plain'), 400, 'invalid_input', 'text where JSON is expected');
      assertContract(await client.request({ method: 'POST', url: '/api/chat/messages', payload: 'x', headers: { 'content-type': '' } }), 415, 'unsupported_media_type', 'empty content type');
    });

    it('answers malformed and excessive multipart bodies with 4xx in the shape', async () => {
      const client = await t.registeredClient();
      const upload = (payload: string | Buffer, type: string) => client.request({ method: 'POST', url: '/api/files', payload, headers: { 'content-type': type } });
      assertContract(await upload('abc', 'multipart/form-data'), 400, 'invalid_multipart', 'no boundary');
      const unterminated = '--xx\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\nContent-Type: text/plain\r\n\r\nhello';
      assertContract(await upload(unterminated, 'multipart/form-data; boundary=xx'), 400, 'invalid_multipart', 'unterminated part');
      assertContract(await upload('--xx\r\nnot a header\r\n\r\nx\r\n--xx--\r\n', 'multipart/form-data; boundary=xx'), 400, 'invalid_input', 'a part without a disposition');
      let fields = '';
      for (let i = 0; i < 50; i++) fields += `--xx\r\nContent-Disposition: form-data; name="f${i}"\r\n\r\nv\r\n`;
      assertContract(await upload(`${fields}--xx--\r\n`, 'multipart/form-data; boundary=xx'), 413, 'too_many_fields', 'fifty fields');
      const two = multipartBody(Buffer.from('one'), 'a.txt');
      const boundary = two.headers['content-type']!.split('boundary=')[1]!;
      const twoFiles = two.payload.toString().replace(`--${boundary}--\r\n`, '') + two.payload.toString();
      const second = await upload(twoFiles, two.headers['content-type']!);
      assert.ok([201, 413].includes(second.status), `two files: ${second.status}`);
      if (second.status !== 201) assertContract(second, 413, 'too_many_files', 'two files');
      assertContract(await upload('{}', 'application/json'), 415, 'unsupported_media_type', 'JSON instead of multipart');
    });

    it('answers a known path with the wrong method 405 with Allow, and an unknown one 404', async () => {
      const client = await t.registeredClient();
      const cases: [string, string, string][] = [
        ['PUT', '/api/files', 'GET, HEAD, POST'],
        ['POST', '/api/auth/me', 'GET, HEAD'],
        ['GET', '/api/auth/login', 'POST'],
        ['POST', '/api/resumes/12', 'DELETE, GET, HEAD, PATCH, PUT'],
        // The router's truth: `refresh` also fits `/matches/:id` (where it is then no id: 404).
        ['DELETE', '/api/jobs/matches/refresh', 'GET, HEAD, PATCH, POST'],
        ['OPTIONS', '/api/ps101', 'GET, HEAD, PUT'],
        ['POST', '/health', 'GET, HEAD'],
      ];
      for (const [method, url, allow] of cases) {
        const response = await client.request({ method: method as 'GET', url });
        assertContract(response, 405, 'method_not_allowed', `${method} ${url}`);
        assert.equal(response.headers.allow, allow, `${method} ${url}`);
      }
      assertContract(await client.get('/api/no-such-thing'), 404, 'not_found', 'unknown path');
      assertContract(await client.request({ method: 'PATCH', url: '/api/nothing/here' }), 404, 'not_found', 'unknown path, odd method');
      assert.equal((await client.request({ method: 'HEAD', url: '/api/auth/me' })).status, 200, 'HEAD answers where GET does');
    });

    it('quotes at most a short excerpt of the input in a message', async () => {
      const client = await t.registeredClient();
      const huge = 'k'.repeat(2_000_000);
      const response = await client.put('/api/ps101', { revision: 0, answers: { [huge]: 'x', [`${huge}2`]: 'y' } });
      assertContract(response, 400, 'unknown_prompt', 'a 2 MB prompt key');
      assert.ok(response.raw.length < 2000, `answer of ${response.raw.length} bytes for a 4 MB input`);
      const path = await client.get(`/api/${'p'.repeat(5000)}`);
      assertContract(path, 404, 'not_found', 'a long unknown path');
      assert.ok(path.body.error.message.length <= 300, `${path.body.error.message.length} characters`);
      const type = await client.request({ method: 'POST', url: '/api/chat/messages', payload: 'x', headers: { 'content-type': `application/${'x'.repeat(8000)}` } });
      assertContract(type, 415, 'unsupported_media_type', 'a long content type');
      assert.ok(type.raw.length < 1000, `${type.raw.length} bytes`);
    });

    it('refuses an Origin of another scheme, host or port, and marks API answers no-store', async () => {
      const client = await t.registeredClient();
      for (const origin of ['https://localhost:80', 'ws://localhost:80', 'http://localhost:8080', 'http://evil.example', 'null', 'garbage']) {
        const response = await client.post('/api/chat/messages', { content: 'hi' }, { origin, host: 'localhost:80' });
        assertContract(response, 403, 'forbidden_origin', `Origin ${origin}`);
      }
      const same = await client.post('/api/chat/messages', { content: 'hi' }, { origin: 'http://localhost', host: 'localhost:80' });
      assert.equal(same.status, 201, 'the same origin, default port spelled or not');
      for (const url of ['/api/auth/me', '/api/chat/messages', '/api/ps101', '/api/nothing']) {
        assert.equal((await client.get(url)).headers['cache-control'], 'no-store', url);
      }
      const exported = await client.get('/api/me/export');
      assert.equal(exported.headers['cache-control'], 'private, no-store', "a route's own policy stays");
    });

    it('reports /health and /health/ready without filesystem paths', async () => {
      const expectedKeys = {
        '/health': ['backend', 'persistence', 'persistent'],
        '/health/ready': ['backend', 'pendingMigrations', 'persistence', 'persistent', 'schemaVersion'],
      };
      for (const [url, keys] of Object.entries(expectedKeys)) {
        const response = await t.client().get(url);
        assert.equal(response.status, 200);
        const text = response.raw.toString('utf8');
        assert.doesNotMatch(text, new RegExp(t.testDatabase.dataDir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
        assert.doesNotMatch(text, /\/(tmp|home|root|var|data|app)\b|[A-Z]:\\/);
        assert.deepEqual(Object.keys(response.body.database).sort(), keys, url);
      }
    });

    it('answers oversized headers and broken HTTP in the shape over a real socket', async () => {
      await t.app.listen({ port: 0, host: '127.0.0.1' });
      const { port } = t.app.server.address() as net.AddressInfo;
      const big = parseRaw(await rawRequest(port, `GET /health HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`));
      assert.equal(big.status, 431);
      assert.equal(big.body.error.code, 'headers_too_large');
      assert.match(big.headers, /connection: close/);
      const garbage = parseRaw(await rawRequest(port, 'NOT HTTP AT ALL\r\n\r\n'));
      assert.equal(garbage.status, 400);
      assert.equal(garbage.body.error.code, 'bad_request');
      const longPath = parseRaw(await rawRequest(port, `GET /api/files/${'9'.repeat(300)}/content HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`));
      assert.equal(longPath.status, 414);
      assert.equal(longPath.body.error.code, 'uri_too_long');
    });
  });
}
