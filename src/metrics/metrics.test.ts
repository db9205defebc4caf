import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import { createTestApp, useTestApp } from '../testing/app.js';
import { BACKENDS } from '../testing/databases.js';
import { uploadFile } from '../testing/person-data.js';

const TOKEN = 'metrics-token-for-tests-0123456789';
const bearer = { authorization: `Bearer ${TOKEN}` };

/** The value of one sample line of the Prometheus text, or undefined when absent. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

for (const backend of BACKENDS) {
  describe(`GET /metrics on ${backend}`, () => {
    const t = useTestApp(backend, { metricsToken: TOKEN, loginMaxFailures: 2 });

    it('refuses a request without the token, or with a wrong one', async () => {
      const none = await t.client().get('/metrics');
      assert.equal(none.status, 401);
      assert.equal(none.body.error.code, 'unauthenticated');
      assert.equal((await t.client().get('/metrics', { authorization: `Bearer ${TOKEN}x` })).status, 401);
      assert.equal((await t.client().get('/metrics', { authorization: TOKEN })).status, 401);
    });

    it('counts requests per route pattern and status, logins by outcome, and reports pool, loop, heap and queue', async () => {
      const client = await t.registeredClient();
      const upload = await uploadFile(client, Buffer.from('plain text résumé\n'), 'cv.txt');
      assert.equal(upload.status, 201);
      const id = upload.body.file.id;
      assert.equal((await client.get(`/api/files/${id}/content`)).status, 200);
      assert.equal((await client.get(`/api/files/${id + 1000}/content`)).status, 404);
      assert.equal((await client.get('/api/no-such-route')).status, 404);
      assert.equal((await client.delete('/api/auth/me')).status, 405);
      const email = `metrics-${Date.now()}@example.org`;
      await t.client().register(email, 'right password 123');
      for (let i = 0; i < 3; i++) await t.client().post('/api/auth/login', { email, password: 'wrong password 123' });
      assert.equal((await t.client().post('/api/auth/login', { email, password: 'right password 123' })).status, 429);

      const response = await t.client().get('/metrics', bearer);
      assert.equal(response.status, 200);
      assert.match(String(response.headers['content-type']), /^text\/plain; version=0\.0\.4/);
      const text = String(response.body);
      const count = (route: string, method: string, status: number) =>
        sample(text, `mosaic_http_request_duration_seconds_count{route="${route}",method="${method}",status="${status}"}`);
      assert.equal(count('/api/files/:id/content', 'GET', 200), 1);
      assert.equal(count('/api/files/:id/content', 'GET', 404), 1);
      assert.ok(!text.includes(`/api/files/${id}/content`), 'raw URLs never become labels');
      assert.equal(count('/api/files', 'POST', 201), 1);
      assert.equal(count('unmatched', 'GET', 404), 1, 'a path no route matches is counted once, under one label');
      assert.equal(count('unmatched', 'DELETE', 405), 1);
      assert.equal(count('/api/auth/me', 'DELETE', 405), undefined);
      assert.ok(text.includes('mosaic_http_request_duration_seconds_bucket{le="0.005",route="/api/files/:id/content"'));
      assert.equal(sample(text, 'mosaic_logins_total{outcome="failed"}'), 2);
      assert.equal(sample(text, 'mosaic_logins_total{outcome="throttled"}'), 2);
      assert.equal(sample(text, 'mosaic_extraction_queue_length'), 0);
      assert.ok(sample(text, 'nodejs_heap_size_used_bytes')! > 0);
      assert.ok(text.includes('nodejs_eventloop_lag_p99_seconds'));
      if (backend === 'postgres') {
        assert.ok(sample(text, 'mosaic_db_pool_size')! >= 1);
        assert.ok(sample(text, 'mosaic_db_pool_idle')! >= 0);
        assert.equal(sample(text, 'mosaic_db_pool_waiting'), 0);
      }
    });
  });
}

describe('GET /metrics without METRICS_TOKEN', () => {
  const t = useTestApp(BACKENDS[0]!);

  it('does not exist', async () => {
    assert.equal((await t.client().get('/metrics')).status, 404);
  });
});

if (BACKENDS.includes('sqlite')) {
  describe('SQLite busy errors in the metrics', () => {
    it('counts a write refused because another process held the lock', async () => {
      const t = await createTestApp('sqlite', { metricsToken: TOKEN });
      const other = new BetterSqlite3(t.testDatabase.location);
      try {
        const client = await t.registeredClient();
        other.exec('begin immediate');
        assert.equal((await client.put('/api/ps101', { revision: 0, answers: { '1.1': 'x' } })).status, 503);
        other.exec('rollback');
        const text = String((await t.client().get('/metrics', bearer)).body);
        assert.equal(sample(text, 'mosaic_unavailable_total{reason="sqlite_busy"}'), 1);
      } finally {
        other.close();
        await t.close();
      }
    });
  });
}
