import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { startFakeChatCompletions, type FakeChatCompletions } from '../testing/fake-chat-completions.js';
import { OpenAiCoach, workbookSummary } from './openai.js';
import type { CoachContext } from './provider.js';

const context: CoachContext = {
  workbook: { currentStep: 2, answers: { '1.1': 'I want to leave retail', '2.1': 'Weekend shifts' }, completed: false },
  history: [
    { role: 'user', content: 'Hello' },
    { role: 'coach', content: 'Hi! What is on your mind?' },
    { role: 'user', content: 'I am tired of weekend shifts.' },
  ],
};

describe('OpenAI-compatible coach against a local fake', () => {
  let fake: FakeChatCompletions;
  before(async () => {
    fake = await startFakeChatCompletions();
  });
  after(() => fake.close());
  beforeEach(() => {
    fake.requests.length = 0;
    fake.answers.length = 0;
  });

  const coach = (stream: boolean) =>
    new OpenAiCoach({ apiUrl: fake.url, apiKey: 'test-key', model: 'fake-model', stream, timeoutMs: 5000, maxRetries: 1 });

  it('sends the workbook and recent messages and reads a JSON reply', async () => {
    fake.answers.push({ reply: 'Let us look at what you tried.' });
    const reply = await coach(false).reply(context);
    assert.deepEqual(reply, { content: 'Let us look at what you tried.', provider: 'fake-model' });
    assert.equal(fake.requests.length, 1);
    const { body, authorization } = fake.requests[0]!;
    assert.equal(authorization, 'Bearer test-key');
    assert.equal(body.model, 'fake-model');
    assert.ok(!body.stream);
    assert.equal(body.messages[0].role, 'system');
    assert.match(body.messages[1].content, /Current step: 2 of 10/);
    assert.match(body.messages[1].content, /\[2\.1\] What is contributing[^\n]*\nAnswer: Weekend shifts/);
    assert.match(body.messages[1].content, /I want to leave retail/);
    assert.deepEqual(body.messages.slice(2), [
      { role: 'user', content: 'Hello' },
      { role: 'assistant', content: 'Hi! What is on your mind?' },
      { role: 'user', content: 'I am tired of weekend shifts.' },
    ]);
  });

  it('assembles a streamed reply', async () => {
    fake.answers.push({ reply: 'Streaming works word by word.' });
    const reply = await coach(true).reply(context);
    assert.equal(reply.content, 'Streaming works word by word.');
    assert.equal(fake.requests[0]!.body.stream, true);
  });

  for (const stream of [false, true]) {
    it(`retries once after a failure (${stream ? 'streaming' : 'JSON'})`, async () => {
      fake.answers.push({ status: 500 }, { reply: 'Second time lucky.' });
      const reply = await coach(stream).reply(context);
      assert.equal(reply.content, 'Second time lucky.');
      assert.equal(fake.requests.length, 2);
    });

    it(`gives up after the one retry (${stream ? 'streaming' : 'JSON'})`, async () => {
      fake.answers.push({ status: 500 }, { status: 503 }, { reply: 'never asked for' });
      await assert.rejects(coach(stream).reply(context));
      assert.equal(fake.requests.length, 2);
    });
  }

  it('passes the parts on in order as they arrive, and they add up to the reply', async () => {
    fake.answers.push({ reply: '  Three small words.' });
    const parts: string[] = [];
    const reply = await coach(false).reply(context, { onDelta: (text) => parts.push(text) });
    assert.equal(fake.requests[0]!.body.stream, true, 'a listener makes the request a streamed one');
    assert.deepEqual(parts, ['Three ', 'small ', 'words.']);
    assert.equal(reply.content, 'Three small words.');
  });

  it('treats a stream cut before its end as a failure, not a short reply', async () => {
    fake.answers.push({ reply: 'This will be cut off after two words', dropAfterChunks: 2 });
    // Cut mid-chunk the client reports the cut itself; cut between events, the missing finish does.
    await assert.rejects(coach(true).reply(context, { onDelta: () => {} }));
  });

  it('stops when the caller leaves', async () => {
    fake.answers.push({ reply: 'word '.repeat(100), chunkDelayMs: 10 });
    const leave = new AbortController();
    const started = coach(true).reply(context, { signal: leave.signal, onDelta: () => leave.abort() });
    await assert.rejects(started);
  });

  it('treats an empty reply as a failure', async () => {
    fake.answers.push({ reply: '   ' });
    await assert.rejects(coach(false).reply(context), /empty reply/);
  });

  it('keeps the workbook summary within its budget, current step first', () => {
    const answers = Object.fromEntries(Array.from({ length: 5 }, (_, i) => [`${i + 1}.1`, 'x'.repeat(5000)]));
    const summary = workbookSummary({ currentStep: 3, answers, completed: false });
    assert.ok(summary.length <= 12_000);
    assert.ok(summary.indexOf('[3.1]') < summary.indexOf('[1.1]'));
  });

  it('never cuts a character in half when it shortens an answer', () => {
    // 799 ASCII characters, then an emoji (two UTF-16 units) across the 800-unit cut.
    const summary = workbookSummary({ currentStep: 1, answers: { '1.1': `${'a'.repeat(799)}🙂 and more` }, completed: false });
    assert.doesNotMatch(summary, /[\uD800-\uDBFF](?![\uDC00-\uDFFF])/, 'no lone high surrogate');
    assert.match(summary, /a…/);
  });
});
