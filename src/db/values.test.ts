import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nowIso } from './values.js';

describe('nowIso', () => {
  it('is the current time in toISOString’s exact form, across second boundaries', async () => {
    const deadline = Date.now() + 1_500;
    const seconds = new Set<string>();
    while (Date.now() < deadline) {
      const before = Date.now();
      const text = nowIso();
      const after = Date.now();
      const at = Date.parse(text);
      assert.equal(new Date(at).toISOString(), text);
      assert.ok(before <= at && at <= after, `${text} outside [${before}, ${after}]`);
      seconds.add(text.slice(0, 19));
      await new Promise((resolve) => setTimeout(resolve, 7));
    }
    assert.ok(seconds.size >= 2, 'crossed at least one second boundary');
  });

  it('formats a given Date as toISOString does', () => {
    const date = new Date(Date.UTC(2026, 11, 2, 6, 5, 4, 3));
    assert.equal(nowIso(date), '2026-12-02T06:05:04.003Z');
  });
});
