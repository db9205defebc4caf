import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PS101_FLOW } from '../ps101/flow.js';
import { OfflineCoach } from './offline.js';
import type { CoachContext } from './provider.js';

const coach = new OfflineCoach();
type Workbook = CoachContext['workbook'];
const fresh: Workbook = { currentStep: 1, answers: {}, completed: false };
const ask = async (content: string, workbook: Workbook = fresh, earlier: CoachContext['history'] = []) =>
  (await coach.reply({ workbook, history: [...earlier, { role: 'user', content }] })).content;

interface Case {
  say: string;
  workbook?: Workbook;
  /** Every pattern must match the reply. */
  must: RegExp[];
  /** None may. */
  never?: RegExp[];
}

// What a person might write in their first week, and what a good reply has to do with it.
// Every reply is also checked against `ALWAYS_NEVER`.
const ALWAYS_NEVER = [/I hear you/, /undefined|null|NaN|\[object/, / {2,}/, /\n{3,}/];
const step2: Workbook = { currentStep: 2, answers: { '1.1': 'I want out of retail management', '2.1': 'Long hours' }, completed: false };
const CASES: Case[] = [
  { say: 'hi', must: [/Hello|Hi/, /on your mind/, /Step 1 · Name the problem/], never: [/“hi”/i] },
  { say: 'Good morning!', workbook: step2, must: [/named your problem as “I want out of retail management”/, /What have you already tried/] },
  { say: 'Thanks, that helps', must: [/welcome|Glad/, /next question/], never: [/“Thanks/] },
  { say: 'thank you!!', workbook: step2, must: [/welcome|Glad/, /Step 2 · Your current situation/] },
  {
    say: 'I keep getting passed over for promotion. It hurts. My manager never explains why.',
    workbook: step2,
    must: [/people at work/, /A small next step: /, /Step 2 · Your current situation\*\*: What have you already tried/],
    never: [/“I keep getting passed over for promotion”/],
  },
  {
    say: 'I have worked in retail for 12 years. I want to move into UX research but I am worried that I am too old.',
    must: [/You want to move into UX research, and you are worried that you are too old\./, /A small next step: /, /\?/],
    never: [/I have worked in retail for 12 years/],
  },
  {
    say: 'I feel stuck and tired of weekend shifts',
    must: [/You feel stuck and tired of weekend shifts/, /A small next step: /],
  },
  {
    say: 'Should I quit my job before I have another one lined up?',
    workbook: { currentStep: 5, answers: {}, completed: false },
    must: [/rarely one right answer/, /Step 5 · Brainstorm options/, /A small next step: /],
  },
  {
    say: 'I sent 40 applications and got ghosted by every recruiter. My CV must be terrible.',
    must: [/search|applications|CV/i, /A small next step: .*(CV|openings)/],
  },
  {
    say: 'I am so overwhelmed and anxious, I cannot sleep and I am crying every night.',
    must: [/someone you trust|doctor/, /not a therapist/, /988|116 123/],
    never: [/A small next step/, /Step \d/],
  },
  {
    say: 'Honestly I don’t want to live anymore. Nothing is working.',
    must: [/emergency number/, /988/, /116 123/, /findahelpline\.com/, /someone you trust|doctor/],
    never: [/Step \d/, /experiment/i, /A small next step/],
  },
  { say: 'what is mosaic?', must: [/PS101/, /ten steps/, /without an AI model/, /Step 1/] },
  { say: 'Are you a bot?', must: [/built-in coach/, /without an AI model/] },
  { say: "What's the weather like in Paris tomorrow?", must: [/outside what I can help with|only a career coach/, /career|work/], never: [/A small next step/] },
  { say: 'Tell me a joke', must: [/outside what I can help with|only a career coach/] },
  {
    say: 'Spreadsheets spreadsheets everywhere, reconciliation, quarterly reconciliation',
    must: [/“spreadsheets”/, /“reconciliation”/],
  },
  {
    say: 'All done.',
    workbook: { currentStep: 10, answers: Object.fromEntries(PS101_FLOW.steps.flatMap((s) => s.prompts.map((p) => [p.key, 'x']))), completed: true },
    must: [/finished the workbook/],
  },
];

describe('offline coach replies', () => {
  for (const { say, workbook, must, never = [] } of CASES) {
    it(`answers “${say.slice(0, 50)}” well`, async () => {
      const reply = await ask(say, workbook);
      for (const pattern of must) assert.match(reply, pattern);
      for (const pattern of [...never, ...ALWAYS_NEVER]) assert.doesNotMatch(reply, pattern);
      assert.ok(reply.split(/\s+/).length <= 130, `short enough: ${reply}`);
    });
  }
});

describe('offline coach behaviour', () => {
  it('is the offline provider and answers the same conversation the same way', async () => {
    const context: CoachContext = { workbook: step2, history: [{ role: 'user', content: 'I feel lost about my career.' }] };
    const first = await coach.reply(context);
    assert.equal(first.provider, 'offline');
    assert.deepEqual(await coach.reply(context), first);
  });

  it('never gives the same reply twice in a row, even to the same words', async () => {
    const history: CoachContext['history'] = [];
    let last = '';
    for (const say of ['hi', 'hi', 'thanks', 'thanks', 'I feel lost', 'I feel lost', 'I feel lost']) {
      history.push({ role: 'user', content: say });
      const { content } = await coach.reply({ workbook: fresh, history });
      assert.notEqual(content, last, say);
      history.push({ role: 'coach', content });
      last = content;
    }
  });

  it('gives a different reply when regenerating one', async () => {
    const context: CoachContext = { workbook: step2, history: [{ role: 'user', content: 'I want to become a nurse.' }] };
    const first = await coach.reply(context);
    const again = await coach.reply({ ...context, avoid: first.content });
    assert.notEqual(again.content, first.content);
    assert.match(again.content, /become a nurse/);
  });

  it('offers to save an answer to the question it just asked, and asks the next one', async () => {
    const earlier: CoachContext['history'] = [
      { role: 'user', content: 'hello' },
      { role: 'coach', content: 'Hi. **Step 1 · Name the problem and the gap**: In a sentence or two, what is the problem you want to work on?' },
    ];
    const reply = await ask('I am a teacher who wants a job with more autonomy and less marking.', fresh, earlier);
    assert.match(reply, /worth saving in your workbook \(step 1\)/);
    assert.match(reply, /Where are you right now with it\?/);
  });

  it('reads only the start of a huge message, quickly', async () => {
    const huge = `I want to change careers. ${'blah '.repeat(200_000)}`;
    const started = performance.now();
    const reply = await ask(huge);
    assert.ok(performance.now() - started < 500);
    assert.match(reply, /You want to change careers/);
    const adversarial = `i'm worried ${'a'.repeat(100_000)}`;
    assert.ok((await ask(adversarial)).length < 2000);
  });
});
