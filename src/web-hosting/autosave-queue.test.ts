// The web app's autosave queue (web/src/autosave/queue.ts), driven directly: no browser, a
// storage that survives "reloads" (new queues over the same map) and a server that keeps
// revisions the way PUT /api/ps101 does.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it, mock } from 'node:test';
import {
  AutosaveQueue,
  STATUS_TEXT,
  unsentEditsKey,
  type AutosaveOptions,
  type KeyValueStorage,
  type SaveOutcome,
  type SaveRequest,
  type ServerState,
} from '../../web/src/autosave/queue.js';

class MemoryStorage implements KeyValueStorage {
  readonly items = new Map<string, string>();
  getItem(key: string) {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string) {
    this.items.set(key, value);
  }
  removeItem(key: string) {
    this.items.delete(key);
  }
}

/** The workbook on the server: a revision check, then a merge (an empty text removes an answer). */
class FakeServer {
  state: ServerState = { revision: 0, answers: {}, currentStep: 1 };
  requests: SaveRequest[] = [];
  /** When set, the next saves answer this instead of reaching the workbook. */
  failWith: SaveOutcome | null = null;

  send = async (request: SaveRequest): Promise<SaveOutcome> => {
    this.requests.push(structuredClone(request));
    if (this.failWith) return this.failWith;
    if (request.revision !== this.state.revision) return { kind: 'conflict', current: structuredClone(this.state) };
    this.write(request.answers ?? {}, request.currentStep);
    return { kind: 'saved', state: structuredClone(this.state) };
  };

  /** Another tab or device saving. */
  write(answers: Record<string, string>, currentStep?: number) {
    const merged = { ...this.state.answers };
    for (const [key, text] of Object.entries(answers)) {
      if (text === '') delete merged[key];
      else merged[key] = text;
    }
    this.state = { revision: this.state.revision + 1, answers: merged, currentStep: currentStep ?? this.state.currentStep };
  }
}

const KEY = unsentEditsKey(7);

/** Lets the queue's pending promises run (a save resolves over a few microtask turns). */
async function settle() {
  for (let i = 0; i < 10; i++) await Promise.resolve();
}

async function advance(ms: number) {
  mock.timers.tick(ms);
  await settle();
}

describe('autosave queue', () => {
  let storage: MemoryStorage;
  let server: FakeServer;
  const open = (options: Partial<AutosaveOptions> = {}) => {
    const queue = new AutosaveQueue(structuredClone(server.state), {
      storage,
      storageKey: KEY,
      send: server.send,
      debounceMs: 500,
      backoffMs: [1000, 2000],
      ...options,
    });
    queue.start();
    return queue;
  };

  beforeEach(() => {
    mock.timers.enable({ apis: ['setTimeout'] });
    storage = new MemoryStorage();
    server = new FakeServer();
  });
  afterEach(() => mock.timers.reset());

  it('sends one save after the typing pauses, with the last text, then says Saved', async () => {
    const queue = open();
    queue.edit('1.1', 'I');
    await advance(200);
    queue.edit('1.1', 'I want');
    await advance(200);
    queue.edit('1.1', 'I want a change');
    assert.equal(queue.snapshot().status, 'pending');
    assert.equal(STATUS_TEXT[queue.snapshot().status], 'Saving…');
    await advance(499);
    assert.equal(server.requests.length, 0, 'nothing is sent while the person is typing');
    await advance(1);
    assert.deepEqual(server.requests, [{ revision: 0, answers: { '1.1': 'I want a change' } }]);
    assert.equal(queue.snapshot().status, 'saved');
    assert.equal(STATUS_TEXT.saved, 'Saved');
    assert.deepEqual(server.state.answers, { '1.1': 'I want a change' });
    assert.equal(storage.getItem(KEY), null, 'acknowledged edits leave the device storage');
  });

  it('keeps unsent edits on the device, and a reloaded page sends them', async () => {
    server.failWith = { kind: 'offline' };
    const first = open();
    first.edit('2.1', 'typed on the train');
    first.setStep(2);
    await advance(500);
    assert.equal(first.snapshot().status, 'offline');
    assert.equal(
      STATUS_TEXT.offline,
      'Offline — your changes are kept on this device and will be sent when you are back',
    );
    assert.ok(storage.getItem(KEY), 'the edit is in storage before any acknowledgement');
    first.close();

    // The page is reloaded, still offline: the edit is shown as unsent, nothing is lost.
    const reloaded = new AutosaveQueue(structuredClone(server.state), { storage, storageKey: KEY, send: server.send, backoffMs: [1000] });
    assert.equal(reloaded.valueOf('2.1'), 'typed on the train');
    assert.deepEqual(reloaded.snapshot().unsent, { '2.1': 'typed on the train' });
    assert.equal(reloaded.snapshot().unsentStep, 2);

    // Back online: the restored edit goes out at once.
    server.failWith = null;
    reloaded.start();
    await advance(0);
    await reloaded.online();
    await settle();
    assert.deepEqual(server.state.answers, { '2.1': 'typed on the train' });
    assert.equal(server.state.currentStep, 2);
    assert.equal(reloaded.snapshot().status, 'saved');
    assert.equal(storage.getItem(KEY), null);
  });

  it('retries a failed save with backoff, saying so, until the server takes it', async () => {
    server.failWith = { kind: 'failed' };
    const queue = open();
    queue.edit('1.2', 'kept through a 503');
    await advance(500);
    assert.equal(queue.snapshot().status, 'retrying');
    assert.equal(STATUS_TEXT.retrying, 'Could not save — retrying');
    await advance(1000);
    assert.equal(server.requests.length, 2, 'the first retry comes after the first backoff step');
    server.failWith = null;
    await advance(1999);
    assert.equal(server.requests.length, 2, 'the second waits for the next, longer step');
    await advance(1);
    assert.equal(queue.snapshot().status, 'saved');
    assert.deepEqual(server.state.answers, { '1.2': 'kept through a 503' });
  });

  it('keeps text typed while a save is in flight and sends it next', async () => {
    let release: (() => void) | undefined;
    const slowSend = (request: SaveRequest) =>
      new Promise<SaveOutcome>((resolve) => {
        release = () => void server.send(request).then(resolve);
      });
    const queue = open({ send: slowSend });
    queue.edit('3.1', 'first');
    await advance(500);
    assert.equal(queue.snapshot().status, 'saving');
    queue.edit('3.1', 'first and more');
    release!();
    await settle();
    assert.deepEqual(queue.snapshot().unsent, { '3.1': 'first and more' }, 'the acknowledgement of "first" does not drop the newer text');
    await advance(500);
    release!();
    await settle();
    assert.deepEqual(server.state.answers, { '3.1': 'first and more' });
    assert.equal(queue.snapshot().status, 'saved');
  });

  it('on a conflict over the same answer, stops and offers both versions; nothing is overwritten', async () => {
    server.write({ '1.1': 'original' });
    const queue = open();
    server.write({ '1.1': 'written in the other tab' });
    queue.edit('1.1', 'written in this tab');
    await advance(500);
    const snapshot = queue.snapshot();
    assert.equal(snapshot.status, 'conflict');
    assert.deepEqual(snapshot.conflict?.entries, [{ key: '1.1', mine: 'written in this tab', theirs: 'written in the other tab' }]);
    assert.equal(server.state.answers['1.1'], 'written in the other tab', 'the other tab’s text is still there');
    await advance(10_000);
    assert.equal(server.requests.length, 1, 'no save is tried again until the person chooses');
    assert.ok(storage.getItem(KEY), 'the unsent text stays on the device meanwhile');

    await queue.resolve({ '1.1': 'written in this tab' });
    await settle();
    assert.equal(server.state.answers['1.1'], 'written in this tab', 'Keep mine sends mine over the new revision');
    assert.equal(queue.snapshot().status, 'saved');
  });

  it('Take theirs and Edit a merge are what the server keeps', async () => {
    server.write({ '1.1': 'a', '1.2': 'b' });
    const queue = open();
    server.write({ '1.1': 'theirs 1', '1.2': 'theirs 2' });
    queue.edit('1.1', 'mine 1');
    queue.edit('1.2', 'mine 2');
    await advance(500);
    assert.equal(queue.snapshot().conflict?.entries.length, 2);
    await queue.resolve({ '1.1': 'theirs 1', '1.2': 'mine 2 + theirs 2' });
    await settle();
    assert.deepEqual(server.state.answers, { '1.1': 'theirs 1', '1.2': 'mine 2 + theirs 2' });
    assert.deepEqual(queue.snapshot().unsent, {});
  });

  it('when the other side changed other answers only, saves over the new revision without asking', async () => {
    const queue = open();
    server.write({ '4.1': 'from the phone' });
    queue.edit('4.2', 'from the laptop');
    await advance(500);
    await advance(0);
    assert.equal(queue.snapshot().conflict, null);
    assert.deepEqual(server.state.answers, { '4.1': 'from the phone', '4.2': 'from the laptop' });
    assert.equal(queue.snapshot().status, 'saved');
  });

  it('stops for good on a 401: no retry, no flush, no reconnect, no restart; a new queue of the same account sends the kept edits', async () => {
    server.failWith = { kind: 'unauthenticated' };
    const queue = open();
    queue.edit('5.1', 'before the session ended');
    await advance(500);
    assert.equal(queue.snapshot().status, 'ended');
    assert.equal(STATUS_TEXT.ended, 'Your session has ended — nothing more is sent from this page');
    server.failWith = null;
    await advance(60_000);
    await queue.flush();
    await queue.online();
    queue.start();
    queue.edit('5.2', 'typed after the end');
    await advance(60_000);
    assert.equal(server.requests.length, 1, 'nothing sent after the session ended');
    assert.deepEqual(server.state.answers, {});
    // The edits stay under the account's own key; the same account, logged in again, sends them.
    assert.match(storage.getItem(KEY) ?? '', /before the session ended/);
    const again = open();
    await advance(0);
    assert.deepEqual(server.state.answers, { '5.1': 'before the session ended', '5.2': 'typed after the end' });
    assert.equal(again.snapshot().status, 'saved');
  });

  it("never sends one account's edits while another is signed in (issue 27: A's edit reached B's workbook)", async () => {
    let signedIn = 7;
    const queueOfA = open({ ownerSignedIn: () => signedIn === 7 });
    queueOfA.edit('1.1', "A's answer");
    // A's session ends and B logs in on the same browser before the debounce fires.
    signedIn = 8;
    await advance(500);
    await queueOfA.flush();
    await queueOfA.online();
    await advance(60_000);
    assert.equal(server.requests.length, 0, "A's queue sent nothing into B's account");
    assert.equal(queueOfA.snapshot().status, 'ended');
    // B's own queue, on B's key, knows nothing of A's edit.
    const queueOfB = open({ storageKey: unsentEditsKey(8), ownerSignedIn: () => signedIn === 8 });
    assert.deepEqual(queueOfB.snapshot().unsent, {});
    queueOfB.edit('1.2', "B's answer");
    await advance(500);
    assert.deepEqual(server.requests.map((r) => r.answers), [{ '1.2': "B's answer" }]);
    assert.match(storage.getItem(KEY) ?? '', /A's answer/, "A's edit is still kept for A");
  });

  it('shows a refused edit with the server’s reason and keeps it', async () => {
    server.failWith = { kind: 'rejected', message: 'The answer to 1.1 is over 20000 characters.' };
    const queue = open();
    queue.edit('1.1', 'x');
    await advance(500);
    assert.equal(queue.snapshot().status, 'rejected');
    assert.match(queue.snapshot().error ?? '', /over 20000/);
    assert.deepEqual(queue.snapshot().unsent, { '1.1': 'x' });
  });

  it('does not clear another tab’s unsent edits when its own are acknowledged', async () => {
    const tab = open();
    tab.edit('1.1', 'from this tab');
    const otherTab = JSON.stringify({ version: 1, revision: 0, answers: { '1.3': 'typed in another tab' }, base: { '1.3': '' } });
    storage.setItem(KEY, otherTab);
    await advance(500);
    assert.equal(tab.snapshot().status, 'saved');
    assert.equal(storage.getItem(KEY), otherTab);
  });

  it('keeps each person’s edits under their own key and ignores malformed storage', () => {
    assert.notEqual(unsentEditsKey(1), unsentEditsKey(2));
    storage.setItem(KEY, '{"version":1,"revision":"x","answers":{"1.1":3}}');
    const queue = open();
    assert.deepEqual(queue.snapshot().unsent, {});
    storage.setItem(KEY, 'not json');
    assert.deepEqual(open().snapshot().unsent, {});
  });
});
