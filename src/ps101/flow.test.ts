import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isPromptKey, nextUnansweredPrompt, PROMPT_COUNT, PS101_FLOW } from './flow.js';

describe('ps101 flow', () => {
  it('has ten titled steps of 3 to 6 prompts, keyed "<step>.<prompt>"', () => {
    assert.equal(PS101_FLOW.steps.length, 10);
    assert.ok(Number.isInteger(PS101_FLOW.version) && PS101_FLOW.version >= 1);
    PS101_FLOW.steps.forEach((step, s) => {
      assert.equal(step.number, s + 1);
      assert.ok(step.title.length > 0 && step.intro.length > 0);
      assert.ok(step.prompts.length >= 3 && step.prompts.length <= 6, `step ${step.number} prompt count`);
      step.prompts.forEach((prompt, p) => {
        assert.equal(prompt.key, `${s + 1}.${p + 1}`);
        assert.ok(prompt.text.trim().length > 10);
      });
    });
    assert.equal(PROMPT_COUNT, PS101_FLOW.steps.reduce((n, step) => n + step.prompts.length, 0));
  });

  it('recognises only its own prompt keys', () => {
    assert.ok(isPromptKey('1.1'));
    assert.ok(isPromptKey('10.4'));
    for (const key of ['0.1', '1.0', '11.1', '1.7', '01.1', '1.1 ', 'constructor', '__proto__']) {
      assert.equal(isPromptKey(key), false, key);
    }
  });

  it('finds the next unanswered prompt from a step onwards, wrapping around', () => {
    assert.equal(nextUnansweredPrompt(1, {})?.prompt.key, '1.1');
    assert.equal(nextUnansweredPrompt(2, { '2.1': 'a', '2.2': 'b' })?.prompt.key, '2.3');
    const step10Done = Object.fromEntries(PS101_FLOW.steps[9]!.prompts.map((p) => [p.key, 'x']));
    assert.equal(nextUnansweredPrompt(10, step10Done)?.prompt.key, '1.1');
    const all = Object.fromEntries(PS101_FLOW.steps.flatMap((s) => s.prompts.map((p) => [p.key, 'x'])));
    assert.equal(nextUnansweredPrompt(4, all), null);
  });
});
