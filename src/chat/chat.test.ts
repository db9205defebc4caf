import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { CoachProvider } from '../coach/provider.js';
import { loadConfig } from '../config.js';
import { createTestApp, type TestApp, type TestClient } from '../testing/app.js';
import { BACKENDS } from '../testing/databases.js';
import { startFakeChatCompletions, type FakeChatCompletions } from '../testing/fake-chat-completions.js';
import { encodeCursor } from './cursor.js';
import { sendMessage } from './service.js';
import { countActiveDays, insertMessage } from './store.js';
import { activityDays } from '../coach/scores.js';

/** A coach that fails while `down` is true, and otherwise echoes. */
class FlakyCoach implements CoachProvider {
  readonly name = 'flaky';
  down = false;
  async reply(context: Parameters<CoachProvider['reply']>[0]) {
    if (this.down) throw new Error('coach is down');
    return { content: `echo: ${context.history.at(-1)!.content}`, provider: this.name };
  }
}

/** A coach whose every reply waits until the test releases it. */
class GatedCoach implements CoachProvider {
  readonly name = 'gated';
  readonly contexts: Parameters<CoachProvider['reply']>[0][] = [];
  #waiting: (() => void)[] = [];
  #onAsked: (() => void) | undefined;
  async reply(context: Parameters<CoachProvider['reply']>[0]) {
    this.contexts.push(context);
    await new Promise<void>((resolve) => {
      this.#waiting.push(resolve);
      this.#onAsked?.();
    });
    return { content: `echo: ${context.history.at(-1)!.content}`, provider: this.name };
  }
  /** Resolves once a reply is waiting. */
  asked(): Promise<void> {
    if (this.#waiting.length > 0) return Promise.resolve();
    return new Promise((resolve) => (this.#onAsked = resolve));
  }
  release(): void {
    this.#onAsked = undefined;
    for (const resolve of this.#waiting.splice(0)) resolve();
  }
}

/** The events of a server-sent event stream, each with its parsed data. */
function parseEvents(text: string): { event: string; data: any }[] {
  return text
    .split('\n\n')
    .filter((block) => block.trim() !== '')
    .map((block) => {
      const event = /^event: (.*)$/m.exec(block)?.[1] ?? 'message';
      const data = /^data: (.*)$/m.exec(block)?.[1] ?? '';
      return { event, data: JSON.parse(data) };
    });
}

async function pageAll(client: TestClient, limit: number, during?: () => Promise<unknown>) {
  const seen: number[] = [];
  let cursor: string | null = null;
  do {
    const query: string = cursor ? `?limit=${limit}&before=${cursor}` : `?limit=${limit}`;
    const page = await client.get(`/api/chat/messages${query}`);
    assert.equal(page.status, 200);
    assert.ok(page.body.messages.length <= limit);
    seen.push(...page.body.messages.map((m: { id: number }) => m.id));
    cursor = page.body.nextCursor;
    await during?.();
  } while (cursor);
  return seen;
}

for (const backend of BACKENDS) {
  describe(`coach chat on ${backend}`, () => {
    let t: TestApp;
    const flaky = new FlakyCoach();
    before(async () => {
      t = await createTestApp(backend, {}, { coach: flaky });
    });
    after(() => t.close());

    it('stores the message and the reply, and scores the exchange', async () => {
      const client = await t.registeredClient();
      const response = await client.post('/api/chat/messages', { content: 'I will email two recruiters tomorrow.' });
      assert.equal(response.status, 201);
      const { message, reply, metrics } = response.body;
      assert.equal(message.role, 'user');
      assert.equal(message.content, 'I will email two recruiters tomorrow.');
      assert.equal(message.provider, null);
      assert.equal(reply.role, 'coach');
      assert.equal(reply.content, 'echo: I will email two recruiters tomorrow.');
      assert.equal(reply.provider, 'flaky');
      assert.ok(reply.id > message.id);
      // email (15) + tomorrow (25) + "I will" (15); one active day (10), no workbook yet.
      assert.equal(metrics.action, 55);
      assert.equal(metrics.momentum, 10);
      assert.ok(metrics.clarity > 0 && metrics.clarity <= 100);

      const page = await client.get('/api/chat/messages');
      assert.deepEqual(page.body, { messages: [reply, message], nextCursor: null });
      const scores = await client.get('/api/chat/metrics');
      assert.deepEqual(scores.body.latest, { messageId: reply.id, ...metrics, createdAt: reply.createdAt });
      assert.deepEqual(scores.body.history, [scores.body.latest]);
    });

    it('counts the distinct UTC days the person wrote in the last 7 × 24 hours, not the coach\'s', async () => {
      const client = await t.registeredClient();
      const userId = (await client.get('/api/auth/me')).body.user.id as number;
      const now = new Date('2026-03-10T15:00:00.000Z');
      const write = (role: 'user' | 'coach', created_at: string) =>
        insertMessage(t.ctx.db, { user_id: userId, role, content: 'x', provider: null, created_at });
      await write('user', '2026-03-03T14:59:59.999Z'); // before the window
      await write('user', '2026-03-03T15:00:00.000Z'); // the window's start itself: excluded
      assert.equal(await countActiveDays(t.ctx.db, userId, activityDays(now)), 0);
      await write('user', '2026-03-03T15:00:00.001Z'); // the cut first day
      await write('user', '2026-03-08T23:59:59.999Z');
      await write('user', '2026-03-08T00:00:00.000Z'); // same day
      await write('coach', '2026-03-09T12:00:00.000Z'); // not the person's
      await write('user', '2026-03-10T14:00:00.000Z');
      assert.equal(await countActiveDays(t.ctx.db, userId, activityDays(now)), 3);
      // Another person's messages never count.
      const other = await t.registeredClient();
      assert.equal(await countActiveDays(t.ctx.db, (await other.get('/api/auth/me')).body.user.id, activityDays(now)), 0);
    });

    it('gives an empty conversation and no metrics to someone who never wrote', async () => {
      const client = await t.registeredClient();
      assert.deepEqual((await client.get('/api/chat/messages')).body, { messages: [], nextCursor: null });
      assert.deepEqual((await client.get('/api/chat/metrics')).body, { latest: null, history: [] });
    });

    it('keeps the message and answers 503 coach_unavailable when the coach fails', async () => {
      const client = await t.registeredClient();
      flaky.down = true;
      try {
        const response = await client.post('/api/chat/messages', { content: 'Are you there?' });
        assert.equal(response.status, 503);
        assert.equal(response.body.error.code, 'coach_unavailable');
        const { messages } = (await client.get('/api/chat/messages')).body;
        assert.equal(messages.length, 1);
        assert.equal(messages[0].id, response.body.error.messageId);
        assert.equal(messages[0].content, 'Are you there?');
        assert.deepEqual((await client.get('/api/chat/metrics')).body.history, []);
      } finally {
        flaky.down = false;
      }
      assert.equal((await client.post('/api/chat/messages', { content: 'Back?' })).status, 201);
      assert.equal((await client.get('/api/chat/messages')).body.messages.length, 3);
    });

    it('stores the message at once and the reply whole when it is ready; nothing outlives an account deleted meanwhile', async () => {
      const gate = new GatedCoach();
      const gated = await createTestApp(backend, {}, { coach: gate });
      try {
        const client = await gated.registeredClient();
        const sent = client.post('/api/chat/messages', { content: 'First question' });
        await gate.asked();
        const waiting = (await client.get('/api/chat/messages')).body.messages;
        assert.deepEqual(waiting.map((m: { role: string; content: string }) => [m.role, m.content]), [['user', 'First question']], 'the message is the person’s at once, unanswered');
        assert.deepEqual(gate.contexts[0]!.history, [{ role: 'user', content: 'First question' }]);
        gate.release();
        const exchange = (await sent).body;
        assert.deepEqual((await client.get('/api/chat/messages')).body.messages, [exchange.reply, exchange.message]);

        const second = client.post('/api/chat/messages', { content: 'Second question' });
        await gate.asked();
        assert.deepEqual(gate.contexts[1]!.history.map((m) => m.content), ['First question', 'echo: First question', 'Second question']);
        const userId = (await client.get('/api/auth/me')).body.user.id as number;
        await gated.ctx.db.deleteFrom('users').where('id', '=', userId).execute();
        gate.release();
        assert.equal((await second).status, 401);
        const left = await gated.ctx.db.selectFrom('chat_messages').where('user_id', '=', userId).select('id').execute();
        assert.deepEqual(left, [], 'neither the message nor a reply outlives the account');
      } finally {
        await gated.close();
      }
    });

    it('asks again for an unanswered message without storing it twice, and regenerates the last reply in place', async () => {
      const client = await t.registeredClient();
      flaky.down = true;
      let failed;
      try {
        failed = await client.post('/api/chat/messages', { content: 'Are you there?' });
        assert.equal(failed.status, 503);
        // Asking again while the coach is still down changes nothing.
        const again = await client.post(`/api/chat/messages/${failed.body.error.messageId}/reply`);
        assert.equal(again.status, 503);
      } finally {
        flaky.down = false;
      }
      const messageId = failed.body.error.messageId as number;
      const answered = await client.post(`/api/chat/messages/${messageId}/reply`);
      assert.equal(answered.status, 201);
      assert.equal(answered.body.message.id, messageId);
      assert.equal(answered.body.reply.content, 'echo: Are you there?');
      const afterAnswer = (await client.get('/api/chat/messages')).body.messages;
      assert.deepEqual(afterAnswer.map((m: { role: string }) => m.role), ['coach', 'user'], 'the message once, its reply once');

      const regenerated = await client.post(`/api/chat/messages/${messageId}/reply`);
      assert.equal(regenerated.status, 201);
      const afterRegenerate = (await client.get('/api/chat/messages')).body.messages;
      assert.deepEqual(afterRegenerate, [regenerated.body.reply, answered.body.message], 'the new reply replaces the old one');
      assert.notEqual(regenerated.body.reply.id, answered.body.reply.id);
      const metrics = (await client.get('/api/chat/metrics')).body.history;
      assert.deepEqual(metrics.map((m: { messageId: number }) => m.messageId), [regenerated.body.reply.id], 'one score per reply');

      // Only the person's newest message can be answered again; replies and others' messages are not theirs to ask.
      await client.post('/api/chat/messages', { content: 'Next one' });
      const older = await client.post(`/api/chat/messages/${messageId}/reply`);
      assert.deepEqual([older.status, older.body.error.code], [409, 'not_latest']);
      assert.equal((await client.post(`/api/chat/messages/${regenerated.body.reply.id}/reply`)).status, 404);
      const other = await t.registeredClient();
      assert.equal((await other.post(`/api/chat/messages/${messageId}/reply`)).status, 404);
      assert.equal((await other.post('/api/chat/messages/abc/reply')).status, 404);
      assert.equal((await t.client().post(`/api/chat/messages/${messageId}/reply`)).status, 401);
    });

    it('streams a reply as server-sent events: the message, the parts, then the stored exchange', async () => {
      const client = await t.registeredClient();
      const response = await client.post('/api/chat/messages', { content: 'Stream please' }, { accept: 'text/event-stream' });
      assert.equal(response.status, 201);
      assert.match(String(response.headers['content-type']), /^text\/event-stream/);
      assert.equal(response.headers['content-encoding'], undefined);
      const events = parseEvents(response.body);
      assert.deepEqual(events.map((e) => e.event), ['message', 'delta', 'done']);
      assert.equal(events[0]!.data.content, 'Stream please');
      assert.equal(events[1]!.data.text, 'echo: Stream please');
      const done = events[2]!.data;
      assert.deepEqual((await client.get('/api/chat/messages')).body.messages, [done.reply, done.message]);
      // A refusal before the stream starts is an ordinary JSON error.
      const empty = await client.post('/api/chat/messages', { content: ' ' }, { accept: 'text/event-stream' });
      assert.deepEqual([empty.status, empty.body.error.code], [400, 'empty_message']);
    });

    it('pages newest to oldest completely and without duplicates while new messages arrive', async () => {
      const client = await t.registeredClient();
      const userId = (await client.get('/api/auth/me')).body.user.id;
      for (let i = 0; i < 23; i++) await sendMessage(t.ctx.db, flaky, userId, `message ${i}`);
      const before = (await client.get('/api/chat/messages?limit=100')).body.messages.map((m: { id: number }) => m.id);
      assert.equal(before.length, 46);
      let added = 0;
      const seen = await pageAll(client, 7, async () => {
        // Another tab keeps talking while this one scrolls back.
        await client.post('/api/chat/messages', { content: `concurrent ${added++}` });
      });
      assert.equal(new Set(seen).size, seen.length, 'no duplicates');
      assert.deepEqual(seen, [...seen].sort((a, b) => b - a), 'newest first');
      // Every message that existed when paging began is in the pages.
      assert.deepEqual(seen.filter((id) => id <= before[0]), before);
      assert.ok(added > 0);
    });

    it('refuses invalid cursors and limits with 400', async () => {
      const client = await t.registeredClient();
      for (const query of ['before=!!!', 'before=abc', `before=${encodeCursor(0)}`, 'before=' + Buffer.from('-1').toString('base64url'), 'limit=0', 'limit=101', 'limit=x', 'other=1']) {
        const response = await client.get(`/api/chat/messages?${query}`);
        assert.equal(response.status, 400, query);
        assert.ok(['invalid_cursor', 'invalid_input'].includes(response.body.error.code), query);
      }
      assert.equal((await client.get(`/api/chat/messages?before=abc`)).body.error.code, 'invalid_cursor');
    });

    it('refuses bad messages with a 4xx and a code, storing nothing', async () => {
      const client = await t.registeredClient();
      const cases: [unknown, number, string][] = [
        [{ content: '' }, 400, 'empty_message'],
        [{ content: '  \n ' }, 400, 'empty_message'],
        [{ content: 'x'.repeat(8001) }, 413, 'message_too_long'],
        [{ content: '😀'.repeat(8001) }, 413, 'message_too_long'],
        [{ content: 42 }, 400, 'invalid_input'],
        [{ content: 'hi', role: 'coach' }, 400, 'invalid_input'],
        [{}, 400, 'invalid_input'],
        ['just text', 415, 'unsupported_media_type'],
        [[{ content: 'hi' }], 400, 'invalid_input'],
      ];
      for (const [body, status, code] of cases) {
        const response = await client.post('/api/chat/messages', body);
        assert.equal(response.status, status, JSON.stringify(body).slice(0, 60));
        assert.equal(response.body.error.code, code, JSON.stringify(body).slice(0, 60));
      }
      assert.equal((await client.post('/api/chat/messages', { content: '😀'.repeat(8000) })).status, 201);
      assert.equal((await client.get('/api/chat/messages')).body.messages.length, 2);
    });

    it('keeps each user to their own conversation', async () => {
      const alice = await t.registeredClient();
      const bob = await t.registeredClient();
      const sent = (await alice.post('/api/chat/messages', { content: 'Alice’s secret plan' })).body;
      assert.deepEqual((await bob.get('/api/chat/messages')).body.messages, []);
      // Bob's cursor pointing above Alice's ids still only reaches Bob's messages.
      const probe = await bob.get(`/api/chat/messages?before=${encodeCursor(sent.reply.id + 1)}`);
      assert.deepEqual(probe.body.messages, []);
      assert.deepEqual((await bob.get('/api/chat/metrics')).body.history, []);
      assert.equal((await t.client().get('/api/chat/messages')).status, 401);
      assert.equal((await t.client().post('/api/chat/messages', { content: 'hi' })).status, 401);
    });
  });

  describe(`coach chat through an OpenAI-compatible endpoint on ${backend}`, () => {
    let fake: FakeChatCompletions;
    const apps: TestApp[] = [];
    before(async () => {
      fake = await startFakeChatCompletions();
    });
    after(async () => {
      for (const app of apps) await app.close();
      await fake.close();
    });

    async function streamingApp() {
      const coach = loadConfig({ COACH_API_URL: fake.url, COACH_API_KEY: 'k', COACH_MODEL: 'fake-model' }).coach;
      const t = await createTestApp(backend, { coach });
      apps.push(t);
      return t;
    }
    const roles = async (client: TestClient) =>
      (await client.get('/api/chat/messages')).body.messages.map((m: { role: string; content: string }) => `${m.role}: ${m.content}`);

    it('streams the model’s reply part by part, in order, and stores it once, whole', async () => {
      const t = await streamingApp();
      const client = await t.registeredClient();
      const reply = 'What would a first small step towards nursing look like?';
      fake.answers.push({ reply });
      const response = await client.post('/api/chat/messages', { content: 'I want to be a nurse.' }, { accept: 'text/event-stream' });
      const events = parseEvents(response.body);
      const deltas = events.filter((e) => e.event === 'delta').map((e) => e.data.text as string);
      assert.equal(deltas.length, reply.split(' ').length, 'one part per word the model sent');
      assert.equal(deltas.join(''), reply);
      assert.deepEqual([events[0]!.event, events.at(-1)!.event], ['message', 'done']);
      assert.equal(events.at(-1)!.data.reply.content, reply);
      assert.equal(fake.requests.at(-1)!.body.stream, true, 'the page listens, so the model streams');
      assert.deepEqual(await roles(client), [`coach: ${reply}`, 'user: I want to be a nurse.']);
    });

    it('stores nothing of a reply whose stream dies, and answers it when asked again without a second copy of the message', async () => {
      const t = await streamingApp();
      const client = await t.registeredClient();
      fake.answers.push({ reply: 'This reply will never be finished by the model', dropAfterChunks: 3 });
      const response = await client.post('/api/chat/messages', { content: 'Help me plan.' }, { accept: 'text/event-stream' });
      const events = parseEvents(response.body);
      const last = events.at(-1)!;
      assert.equal(last.event, 'error');
      assert.equal(last.data.error.code, 'coach_unavailable');
      assert.ok(events.some((e) => e.event === 'delta'), 'some parts had arrived');
      assert.deepEqual(await roles(client), ['user: Help me plan.'], 'no partial reply stored');

      fake.answers.push({ reply: 'Let us plan it together.' });
      const again = await client.post(`/api/chat/messages/${last.data.error.messageId}/reply`, undefined, { accept: 'text/event-stream' });
      assert.equal(parseEvents(again.body).at(-1)!.event, 'done');
      assert.deepEqual(await roles(client), ['coach: Let us plan it together.', 'user: Help me plan.']);

      fake.answers.push({ reply: 'Here is another way to see it.' });
      const regenerated = await client.post(`/api/chat/messages/${last.data.error.messageId}/reply`, undefined, { accept: 'text/event-stream' });
      assert.equal(parseEvents(regenerated.body).at(-1)!.data.reply.content, 'Here is another way to see it.');
      assert.deepEqual(await roles(client), ['coach: Here is another way to see it.', 'user: Help me plan.']);
    });

    it('stops the model and stores no reply when the person’s connection closes mid-stream', async () => {
      const t = await streamingApp();
      const client = await t.registeredClient();
      const address = await t.app.listen({ port: 0, host: '127.0.0.1' });
      fake.abandoned = 0;
      fake.answers.push({ reply: 'word '.repeat(200).trim(), chunkDelayMs: 20 });
      const leave = new AbortController();
      const response = await fetch(`${address}/api/chat/messages`, {
        method: 'POST',
        signal: leave.signal,
        headers: { accept: 'text/event-stream', 'content-type': 'application/json', cookie: [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
        body: JSON.stringify({ content: 'Going to close the tab' }),
      });
      assert.equal(response.status, 201);
      const reader = response.body!.getReader();
      let seen = '';
      while (!seen.includes('event: delta')) seen += new TextDecoder().decode((await reader.read()).value);
      leave.abort();
      for (let i = 0; i < 200 && fake.abandoned === 0; i++) await new Promise((resolve) => setTimeout(resolve, 25));
      assert.equal(fake.abandoned, 1, 'the model’s stream was abandoned');
      await new Promise((resolve) => setTimeout(resolve, 100));
      assert.deepEqual(await roles(client), ['user: Going to close the tab'], 'the message stays, unanswered; no partial reply');
    });

    for (const stream of [false, true]) {
      it(`replies from the model with the workbook as context (${stream ? 'streaming' : 'JSON'})`, async () => {
        const coach = loadConfig({ COACH_API_URL: fake.url, COACH_API_KEY: 'k', COACH_MODEL: 'fake-model', COACH_STREAM: String(stream) }).coach;
        // The app reads the coach from its configuration, as `mosaic serve` does.
        const t = await createTestApp(backend, { coach });
        apps.push(t);
        const client = t.client();
        await client.register();
        await client.put('/api/ps101', { revision: 0, currentStep: 3, answers: { '1.1': 'Switch to nursing' } });
        fake.requests.length = 0;
        fake.answers.push({ status: 500 }, { reply: 'What assumptions are behind that?' });
        const response = await client.post('/api/chat/messages', { content: 'I think I am too old to change.' });
        assert.equal(response.status, 201);
        assert.equal(response.body.reply.content, 'What assumptions are behind that?');
        assert.equal(response.body.reply.provider, 'fake-model');
        assert.equal(fake.requests.length, 2, 'one failure, one retry');
        const sent = fake.requests[1]!.body;
        assert.equal(Boolean(sent.stream), stream);
        assert.match(sent.messages[1].content, /Current step: 3 of 10/);
        assert.match(sent.messages[1].content, /Switch to nursing/);
        assert.deepEqual(sent.messages.at(-1), { role: 'user', content: 'I think I am too old to change.' });

        fake.answers.push({ status: 500 }, { status: 500 });
        const failed = await client.post('/api/chat/messages', { content: 'Still there?' });
        assert.equal(failed.status, 503);
        assert.equal(failed.body.error.code, 'coach_unavailable');
        const { messages } = (await client.get('/api/chat/messages')).body;
        assert.deepEqual(messages.map((m: { content: string }) => m.content), [
          'Still there?',
          'What assumptions are behind that?',
          'I think I am too old to change.',
        ]);
      });
    }
  });
}
