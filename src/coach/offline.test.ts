import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { OfflineCoach } from './offline.js';

const coach = new OfflineCoach();
const ask = (content: string, currentStep: number, answers: Record<string, string> = {}, completed = false) =>
  coach.reply({ workbook: { currentStep, answers, completed }, history: [{ role: 'user', content }] });

describe('offline coach', () => {
  it('reflects the words back and asks the current step’s next unanswered prompt', async () => {
    const reply = await ask('I keep getting passed over for promotion. It hurts.', 2, { '2.1': 'Long hours' });
    assert.equal(reply.provider, 'offline');
    assert.match(reply.content, /“I keep getting passed over for promotion”/);
    assert.match(reply.content, /step 2, “Your current situation”/);
    assert.match(reply.content, /What have you already tried/);
  });

  it('moves on to the next step once the current one is answered', async () => {
    const answers = { '1.1': 'a', '1.2': 'b', '1.3': 'c', '1.4': 'd', '1.5': 'e' };
    const reply = await ask('Done with step one', 1, answers);
    assert.match(reply.content, /step 2, “Your current situation”: What is contributing/);
  });

  it('shortens a long message and answers the same input the same way', async () => {
    const long = `${'word '.repeat(100)}end`;
    const first = await ask(long, 1);
    assert.ok(first.content.includes('…'));
    assert.deepEqual(await ask(long, 1), first);
  });
});
