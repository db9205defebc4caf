import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { useTestApp } from '../testing/app.js';
import { BACKENDS } from '../testing/databases.js';
import { purgeExpired } from './purge.js';

const DAY_MS = 86_400_000;

for (const backend of BACKENDS) {
  describe(`guest purge on ${backend}`, () => {
    const t = useTestApp(backend, { guestTtlDays: 30 });

    async function rowsOf(userId: number) {
      const count = async (table: 'ps101_runs' | 'chat_messages' | 'coach_metrics' | 'sessions') =>
        Number((await t.ctx.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).where('user_id', '=', userId).executeTakeFirstOrThrow()).n);
      return {
        user: (await t.ctx.db.selectFrom('users').select('id').where('id', '=', userId).executeTakeFirst()) !== undefined,
        runs: await count('ps101_runs'),
        messages: await count('chat_messages'),
        metrics: await count('coach_metrics'),
        sessions: await count('sessions'),
      };
    }

    async function personWithWork(kind: 'guest' | 'registered' | 'upgraded'): Promise<number> {
      const client = t.client();
      const id = kind === 'registered' ? (await client.register()).user.id : (await client.post('/api/auth/guest')).body.user.id;
      assert.equal((await client.put('/api/ps101', { revision: 0, answers: { '1.1': 'work' } })).status, 200);
      assert.equal((await client.post('/api/chat/messages', { content: 'hello coach' })).status, 201);
      if (kind === 'upgraded') await client.register();
      return id;
    }

    it('deletes idle guests with all their data and never touches registered users', async () => {
      const guest = await personWithWork('guest');
      const registered = await personWithWork('registered');
      const upgraded = await personWithWork('upgraded');
      const kept = { user: true, runs: 1, messages: 2, metrics: 1, sessions: 1 };
      assert.deepEqual(await rowsOf(guest), kept);

      // Within the TTL nothing goes.
      const soon = await purgeExpired(t.ctx, new Date(Date.now() + 29 * DAY_MS));
      assert.equal(soon.inactiveGuests, 0);
      assert.deepEqual(await rowsOf(guest), kept);

      const later = await purgeExpired(t.ctx, new Date(Date.now() + 10 * 365 * DAY_MS));
      assert.ok(later.inactiveGuests >= 1);
      assert.deepEqual(await rowsOf(guest), { user: false, runs: 0, messages: 0, metrics: 0, sessions: 0 });
      // Their sessions expired long ago, but the accounts and their work stay.
      for (const id of [registered, upgraded]) {
        assert.deepEqual(await rowsOf(id), { ...kept, sessions: 0 });
      }
    });
  });
}
