import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { DEFAULT_MAX_QUEUE_MS, loadConfig } from '../config.js';
import { useTestApp } from '../testing/app.js';
import { BACKENDS } from '../testing/databases.js';
import { PRESSURE_WINDOW_MS, PressureMonitor, SUSTAINED_WINDOWS } from './pressure.js';

/** Keeps the event loop busy for `ms` without yielding: every request and timer waits. */
function block(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // busy
  }
}

/** Keeps the loop 100 % busy for `ms` with short tasks, yielding between them: busy, never late. */
async function busyButResponsive(ms: number): Promise<void> {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    block(1);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

describe('the queueing-delay monitor', () => {
  it('is off by default only where configured: the production default is a queueing-delay limit, not utilization', () => {
    const pressure = loadConfig({}).pressure;
    assert.deepEqual(pressure, { maxQueueMs: DEFAULT_MAX_QUEUE_MS, maxHeapUsedMb: 0, maxRssMb: 0 });
    assert.equal(loadConfig({ PRESSURE_MAX_EVENT_LOOP_DELAY_MS: '0' }).pressure.maxQueueMs, 0, 'the older name still turns it off');
    assert.equal(loadConfig({ PRESSURE_MAX_QUEUE_MS: '250', PRESSURE_MAX_EVENT_LOOP_DELAY_MS: '0' }).pressure.maxQueueMs, 250);
  });

  it('does not count start-up work, sheds while the loop is late, and never because it is merely busy', async () => {
    const monitor = new PressureMonitor({ maxQueueMs: 150, maxHeapUsedMb: 0, maxRssMb: 0 });
    try {
      block(800); // start-up work (loading modules, migrating) before the app is ready
      monitor.start();
      await sleep(PRESSURE_WINDOW_MS * 2.5);
      assert.equal(monitor.underPressure, false, 'start-up work is not a backlog');

      await busyButResponsive(PRESSURE_WINDOW_MS * 3);
      const busy = monitor.sample;
      assert.ok(busy.eventLoopUtilization > 0.5, `utilization ${busy.eventLoopUtilization}`);
      assert.equal(busy.underPressure, false, `a busy loop that comes round in time (p99 ${busy.queueDelayP99Ms} ms) sheds nothing`);

      // One long pause: its backlog is served right after it, so nothing is shed for it.
      block(PRESSURE_WINDOW_MS * 2);
      await sleep(20);
      assert.equal(monitor.underPressure, false, `one late window (${monitor.sample.queueDelayP99Ms} ms) is a pause`);
      await sleep(PRESSURE_WINDOW_MS * 2);

      // A loop late window after window: shed.
      const end = performance.now() + PRESSURE_WINDOW_MS * (SUSTAINED_WINDOWS + 2);
      while (performance.now() < end) {
        block(300);
        await new Promise((resolve) => setImmediate(resolve));
      }
      const late = monitor.sample;
      assert.equal(late.underPressure, true, `delay ${late.queueDelayP99Ms} ms`);
      assert.ok(late.queueDelayP99Ms > 150, `delay ${late.queueDelayP99Ms} ms`);

      await sleep(PRESSURE_WINDOW_MS * 3);
      assert.equal(monitor.underPressure, false, 'back to admitting once the loop is on time');
    } finally {
      monitor.stop();
    }
  });

  it('on a saturated loop, limits requests in flight to what completes within the target (Little\'s law)', async () => {
    const monitor = new PressureMonitor({ maxQueueMs: 200, maxHeapUsedMb: 0, maxRssMb: 0 });
    monitor.start();
    try {
      const held = Array.from({ length: 2000 }, () => monitor.begin());
      await sleep(PRESSURE_WINDOW_MS * 1.5);
      assert.equal(monitor.admits(), true, 'an idle loop measures nothing: its completions are not its capacity');
      // Saturated: 1 ms tasks, each one completed request (at most ~1,000 a second).
      const end = performance.now() + PRESSURE_WINDOW_MS * 3;
      while (performance.now() < end) {
        const done = monitor.begin();
        block(1);
        done();
        await new Promise((resolve) => setImmediate(resolve));
      }
      const { inFlightLimit, inFlight } = monitor.sample;
      assert.ok(inFlightLimit !== null && inFlightLimit < 2000, `limit ${inFlightLimit} with ${inFlight} in flight`);
      assert.equal(monitor.admits(), false, '2,000 in flight would wait seconds');
      for (const done of held) done();
      assert.equal(monitor.admits(), true, 'once they finish, new requests are admitted');
    } finally {
      monitor.stop();
    }
  });

  it('with an idle loop but requests spending seconds in the server (a database queue), limits requests in flight the same way', async () => {
    const monitor = new PressureMonitor({ maxQueueMs: 200, maxHeapUsedMb: 0, maxRssMb: 0 });
    monitor.start();
    const held: (() => void)[] = [];
    try {
      // ~100 requests a second complete while 300 wait: each spends ~3 s in the server, the loop idle.
      for (let i = 0; i < 300; i++) held.push(monitor.begin());
      const end = performance.now() + PRESSURE_WINDOW_MS * 9;
      while (performance.now() < end) {
        held.shift()?.();
        held.push(monitor.begin());
        await sleep(10);
      }
      const sample = monitor.sample;
      assert.ok(sample.eventLoopUtilization < 0.5, `the loop is idle (${sample.eventLoopUtilization})`);
      assert.ok(sample.inFlightLimit !== null && sample.inFlightLimit < 100, `limit ${sample.inFlightLimit} with ${sample.inFlight} in flight`);
      assert.equal(monitor.admits(), false, '300 in flight at ~100 a second would wait 3 s');

      // The queue drains and requests are quick again: the limit is lifted.
      while (held.length > 0) held.pop()?.();
      const quick = performance.now() + PRESSURE_WINDOW_MS * 6;
      while (performance.now() < quick) {
        monitor.begin()();
        await sleep(10);
      }
      assert.equal(monitor.sample.inFlightLimit, null);
      assert.equal(monitor.admits(), true);
    } finally {
      for (const done of held) done();
      monitor.stop();
    }
  });
});

for (const backend of BACKENDS) {
  describe(`load shedding on ${backend}`, () => {
    // A heap limit every process exceeds: deterministic pressure, unlike delay figures on a
    // shared machine. The delay limit is exercised above and by `npm run bench:overload`.
    const TOKEN = 'metrics-token-for-tests-0123456789';
    const t = useTestApp(backend, {
      pressure: { maxQueueMs: 0, maxHeapUsedMb: 1, maxRssMb: 0 },
      metricsToken: TOKEN,
    });
    const defaults = useTestApp(backend);

    it('answers 503 overloaded with Retry-After in the error shape, while /health and /metrics still answer', async () => {
      // Memory is read once a window; no verdict before the first.
      await sleep(PRESSURE_WINDOW_MS * 1.5);
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

    it("with the production defaults, serves bursts of 50 requests at once (as the bench's 50 connections) and sheds none of them", async () => {
      const client = await defaults.registeredClient();
      for (let round = 0; round < 3; round++) {
        const statuses = await Promise.all(Array.from({ length: 50 }, () => client.get('/api/auth/me')));
        const health = (await defaults.client().get('/health')).body.pressure;
        assert.deepEqual([...new Set(statuses.map((r) => r.status))], [200], `round ${round}: ${JSON.stringify(health)}`);
        await sleep(PRESSURE_WINDOW_MS);
      }
      assert.equal((await defaults.client().get('/health')).body.pressure.underPressure, false);
    });
  });
}
