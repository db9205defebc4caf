import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { actionScore, activityDays, clarityScore, computeMetrics, momentumScore } from './scores.js';

const now = new Date('2026-03-10T12:00:00.000Z');
const idle = { currentStep: 1, answeredCount: 0, completed: false };

describe('coach metrics', () => {
  it('scores a vague, hedging message low on clarity and a specific one high', () => {
    assert.equal(clarityScore('maybe, not sure, I guess'), 0);
    const specific =
      'I want to move from retail management into UX research at a Berlin healthcare company within 12 months. ' +
      'I have 6 years leading teams of 15 people and completed a Coursera certificate in interaction design.';
    // 35 words = 23.3, 8+ specific terms = 40, a goal ("I want") = 20.
    assert.equal(clarityScore(specific), 83);
    // One more word (24) and one hedge (−10).
    assert.equal(clarityScore(`Maybe ${specific}`), 74);
  });

  it('scores concrete verbs, a date and a commitment as action', () => {
    assert.equal(actionScore('I feel lost.'), 0);
    // 4 verbs (email, schedule, draft, apply) = 60, "Friday" = 25, "I will" = 15.
    assert.equal(actionScore('I will email Sam, schedule a call, draft my CV and apply by Friday.'), 100);
    assert.equal(actionScore('call'), 15);
  });

  it('scores momentum from active days this week and workbook progress', () => {
    assert.equal(momentumScore({ activeDays: 0, workbook: idle, now }), 0);
    assert.equal(momentumScore({ activeDays: 2, workbook: idle, now }), 20);
    // At most 5 days count.
    assert.equal(momentumScore({ activeDays: 8, workbook: idle, now }), 50);
    // Step 10 of 10 = 20, and a completed workbook counts the same.
    assert.equal(momentumScore({ activeDays: 0, workbook: { currentStep: 10, answeredCount: 0, completed: false }, now }), 20);
    const full = momentumScore({ activeDays: 1, workbook: { currentStep: 3, answeredCount: 999, completed: true }, now });
    assert.equal(full, 10 + 30 + 20);
  });

  it('counts the UTC days of the last 7 × 24 hours, the oldest cut at the window start', () => {
    const days = activityDays(new Date('2026-03-10T15:00:00.000Z'));
    assert.equal(days.length, 8);
    assert.deepEqual(days[0], { from: '2026-03-10T00:00:00.000Z', to: null, fromExclusive: false });
    assert.deepEqual(days[1], { from: '2026-03-09T00:00:00.000Z', to: '2026-03-10T00:00:00.000Z', fromExclusive: false });
    assert.deepEqual(days[7], { from: '2026-03-03T15:00:00.000Z', to: '2026-03-04T00:00:00.000Z', fromExclusive: true });
    // At midnight the window starts exactly at a day's start: 7 days, the oldest still exclusive.
    const midnight = activityDays(new Date('2026-03-10T00:00:00.000Z'));
    assert.equal(midnight.length, 8);
    assert.deepEqual(midnight[7], { from: '2026-03-03T00:00:00.000Z', to: '2026-03-04T00:00:00.000Z', fromExclusive: true });
  });

  it('is deterministic and stays within 0 to 100', () => {
    const input = { message: 'I will call 5 recruiters tomorrow. '.repeat(50), activeDays: 1, workbook: idle, now };
    const first = computeMetrics(input);
    assert.deepEqual(computeMetrics(input), first);
    for (const score of Object.values(first)) assert.ok(score >= 0 && score <= 100 && Number.isInteger(score));
  });
});
