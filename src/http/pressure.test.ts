import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { useTestApp } from '../testing/app.js';
import { BACKENDS } from '../testing/databases.js';

describe('load shedding', () => {
  // A heap limit every process exceeds: deterministic pressure, unlike event-loop figures on a
  // shared machine. The event-loop thresholds are exercised by `npm run bench:overload`.
  const TOKEN = 'metrics-token-for-tests-0123456789';
  const t = useTestApp(BACKENDS[0]!, {
    pressure: { maxEventLoopDelayMs: 0, maxEventLoopUtilization: 0, maxHeapUsedMb: 1, maxRssMb: 0 },
    metricsToken: TOKEN,
  });

  it('answers 503 overloaded with Retry-After in the error shape, while /health and /metrics still answer', async () => {
    // The plugin samples memory every 500 ms.
    await sleep(700);
    const shed = await t.client().get('/api/ps101/flow');
    assert.equal(shed.status, 503);
    assert.deepEqual(Object.keys(shed.body), ['error']);
    assert.equal(shed.body.error.code, 'overloaded');
    assert.equal(shed.headers['retry-after'], '2');
    assert.ok(shed.headers['x-request-id']);

    const health = await t.client().get('/health');
    assert.equal(health.status, 200);
    assert.equal(health.body.pressure.underPressure, true);
    assert.ok(health.body.pressure.heapUsedBytes > 1024 * 1024);

    const metrics = await t.client().get('/metrics', { authorization: `Bearer ${TOKEN}` });
    assert.equal(metrics.status, 200);
    assert.match(String(metrics.body), /mosaic_unavailable_total\{reason="overloaded"\} 1\n/);
  });
});
