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
import { activityDays } from '../coach/metrics.js';

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

    it('stores the message with its reply in one transaction: nothing while the coach thinks, nothing if the account goes meanwhile', async () => {
      const gate = new GatedCoach();
      const gated = await createTestApp(backend, {}, { coach: gate });
      try {
        const client = await gated.registeredClient();
        const sent = client.post('/api/chat/messages', { content: 'First question' });
        await gate.asked();
        assert.deepEqual((await client.get('/api/chat/messages')).body.messages, [], 'no message stored before the reply is ready');
        assert.deepEqual(gate.contexts[0]!.history, [{ role: 'user', content: 'First question' }], 'the coach still sees this message');
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
