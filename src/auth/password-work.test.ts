import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, beforeEach, describe, it } from 'node:test';
import { AdmissionQueue, PasswordHasher } from './passwords.js';
import { useTestApp } from '../testing/app.js';
import { BACKENDS } from '../testing/databases.js';

// Argon2id work is admitted by a bounded queue: a few operations at once, a bounded number
// waiting, the rest refused at once with 503 `passwords_busy` and Retry-After.

const PASSWORD = 'correct horse battery';

/** Work that finishes when the test says so, recording how many ran at once. */
function controlledWork() {
  let active = 0;
  let peak = 0;
  const started: number[] = [];
  const finishers: (() => void)[] = [];
  const work = (id: number) => async () => {
    active++;
    peak = Math.max(peak, active);
    started.push(id);
    await new Promise<void>((resolve) => finishers.push(resolve));
    active--;
    return id;
  };
  return {
    work,
    started,
    peak: () => peak,
    /** Lets the oldest running operation finish, then lets the queue hand its slot on. */
    finishOne: async () => {
      finishers.shift()!();
      for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
    },
  };
}

describe('admission of password work', () => {
  it('never runs more than its concurrency, starts waiting work in arrival order, and refuses past the queue', async () => {
    const queue = new AdmissionQueue({ concurrency: 2, queueMax: 3 }, () => new Error('busy'));
    const w = controlledWork();
    const admitted = [0, 1, 2, 3, 4].map((id) => queue.run(w.work(id)));
    await assert.rejects(queue.run(w.work(5)), /busy/);
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(w.started, [0, 1]);
    assert.deepEqual(queue.stats(), { running: 2, queued: 3 });
    for (let i = 0; i < 5; i++) await w.finishOne();
    assert.deepEqual(await Promise.all(admitted), [0, 1, 2, 3, 4]);
    assert.deepEqual(w.started, [0, 1, 2, 3, 4]);
    assert.equal(w.peak(), 2);
    assert.deepEqual(queue.stats(), { running: 0, queued: 0 });
  });

  it('hands the slot on when an operation fails', async () => {
    const queue = new AdmissionQueue({ concurrency: 1, queueMax: 1 }, () => new Error('busy'));
    const failing = queue.run(async () => {
      throw new Error('argon2 failed');
    });
    const next = queue.run(async () => 'ran');
    await assert.rejects(failing, /argon2 failed/);
    assert.equal(await next, 'ran');
    assert.deepEqual(queue.stats(), { running: 0, queued: 0 });
  });
});

/** The nice value of each thread of this process (Linux /proc), by thread id. */
function threadNiceness(): Map<string, number> {
  const niceness = new Map<string, number>();
  for (const tid of fs.readdirSync('/proc/self/task')) {
    const stat = fs.readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
    // After the command name: state is the 1st field, nice the 17th.
    niceness.set(tid, Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]));
  }
  return niceness;
}

describe('password threads', () => {
  const hasher = new PasswordHasher({ concurrency: 1, queueMax: 4 });
  after(() => hasher.close());

  it('hash and verify Argon2id on a thread of their own at lower priority than the event loop', async () => {
    const before = threadNiceness();
    const stored = await hasher.hash(PASSWORD);
    assert.match(stored, /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    assert.equal(await hasher.verify(stored, PASSWORD), true);
    assert.equal(await hasher.verify(stored, 'wrong horse battery'), false);
    // A stored value that is no hash reads as a wrong password, not as a failure.
    assert.equal(await hasher.verify('not a hash', PASSWORD), false);
    const mainNice = before.get(String(process.pid))!;
    const added = [...threadNiceness()].filter(([tid]) => !before.has(tid)).map(([, nice]) => nice);
    assert.ok(added.includes(mainNice + 10), `new threads' nice values ${added} (event loop ${mainNice})`);
    assert.deepEqual(hasher.stats(), { running: 0, queued: 0 });
  });
});

for (const backend of BACKENDS) {
  describe(`password work under a login flood on ${backend}`, () => {
    // One verification at a time and one waiting: of ten parallel logins, at least the two
    // admitted ones pass, the rest may be refused. The failure budget is larger than the burst
    // (checks in flight count against it until given back).
    const t = useTestApp(backend, { passwords: { concurrency: 1, queueMax: 1 }, loginMaxFailures: 20 });
    beforeEach(() => t.ctx.db.deleteFrom('rate_limits').execute());

    it('answers 503 passwords_busy with Retry-After past the queue, and gives the check back', async () => {
      const { email } = await t.client().register();
      const responses = await Promise.all(Array.from({ length: 10 }, () => t.client().post('/api/auth/login', { email, password: PASSWORD })));
      const busy = responses.filter((r) => r.status === 503);
      assert.ok(responses.filter((r) => r.status === 200).length >= 2, `statuses ${responses.map((r) => r.status)}`);
      assert.ok(busy.length > 0, `statuses ${responses.map((r) => r.status)}`);
      assert.equal(busy.length + responses.filter((r) => r.status === 200).length, 10, `statuses ${responses.map((r) => r.status)}`);
      for (const refused of busy) {
        assert.equal(refused.body.error.code, 'passwords_busy');
        assert.equal(refused.headers['retry-after'], '1');
      }
      // The budget is whole again: a refused login was never checked, so its reservation was
      // given back like a right password's.
      const buckets = await t.ctx.db.selectFrom('rate_limits').select(['bucket', 'hits']).where('bucket', 'like', 'password-checks-%').execute();
      assert.equal(buckets.length, 2, 'one for the email, one for the address');
      for (const bucket of buckets) assert.equal(Number(bucket.hits), 0, bucket.bucket);
      assert.equal((await t.client().post('/api/auth/login', { email, password: PASSWORD })).status, 200);
      assert.deepEqual(t.app.passwords.stats(), { running: 0, queued: 0 });
    });

    it('refuses unknown emails past the queue the same way, without telling them apart', async () => {
      const { email } = await t.client().register();
      const logins = Array.from({ length: 10 }, (_, i) =>
        t.client().post('/api/auth/login', { email: i % 2 === 0 ? email : `nobody-${i}@example.org`, password: 'wrong horse battery' }),
      );
      const responses = await Promise.all(logins);
      for (const response of responses) assert.ok([401, 503].includes(response.status), `status ${response.status}`);
      const busy = responses.filter((r) => r.status === 503);
      assert.ok(busy.length > 0);
      for (const refused of busy) assert.equal(refused.body.error.code, 'passwords_busy');
    });
  });
}
