/**
 * The PS101 workbook as data: ten steps, each with a title and a few prompts. Answers are kept
 * under `"<step>.<prompt>"` (both 1-based), so a prompt's key must never change meaning: reword
 * freely, but a new or removed prompt means a new `version`.
 */
import type { Ps101Flow, Ps101Prompt, Ps101Step } from './responses.js';

export type { Ps101Flow, Ps101Prompt, Ps101Step };

const STEPS: { title: string; intro: string; prompts: string[] }[] = [
  {
    title: 'Name the problem and the gap',
    intro: 'Every change starts by saying plainly where you are and where you would like to be.',
    prompts: [
      'In a sentence or two, what is the problem you want to work on?',
      'Where are you right now with it? Describe today as honestly as you can.',
      'Where would you like to be instead? Picture it going well.',
      'What is the gap (the "delta") between those two places, in your own words?',
      'Why does closing this gap matter to you now?',
    ],
  },
  {
    title: 'Your current situation',
    intro: 'Understanding what is going on around the problem keeps us from solving the wrong thing.',
    prompts: [
      'What is contributing to the situation, inside your control and outside it?',
      'What have you already tried, and what happened?',
      'Do you notice any patterns: times, places or people when it gets better or worse?',
      'Who else is affected, or involved, and how?',
    ],
  },
  {
    title: 'Root causes and assumptions',
    intro: 'Underneath most problems sit a few causes and beliefs worth looking at gently.',
    prompts: [
      'If you keep asking "why?", what seems to sit underneath the problem?',
      'What are you assuming about yourself, others or the situation?',
      'Which of those assumptions might not be true? What would change if it were not?',
      'What is one cause you could actually influence?',
    ],
  },
  {
    title: 'Confidence and strengths',
    intro: 'You have solved hard things before; those skills come with you.',
    prompts: [
      'On a scale of 1 to 10, how confident do you feel about solving this? Why that number?',
      'Think of a past challenge you got through. What skills did you use?',
      'What small wins, even recent ones, can you build on?',
      'What would move your number up by just one point?',
    ],
  },
  {
    title: 'Brainstorm options',
    intro: 'Quantity first: write at least five options before judging any of them.',
    prompts: [
      'List at least five options, including a few unusual or bold ones.',
      'For your most promising options, what are the pros?',
      'And what are the cons or risks of each?',
      'Which options fit best with what you value most?',
      'Which one or two feel worth trying first, and why?',
    ],
  },
  {
    title: 'Design a small experiment',
    intro: 'A small, low-risk test teaches more than a big plan that never starts.',
    prompts: [
      'What is one small, low-risk experiment you could run to test your best option?',
      'What outcome will you measure, and how will you know it worked?',
      'How long will the experiment run? Give it a clear time box.',
      'What is the very first step, and when will you take it?',
    ],
  },
  {
    title: 'Obstacles and strategies',
    intro: 'Naming what could get in the way, ahead of time, makes it far easier to handle.',
    prompts: [
      'What inner obstacles might get in the way (doubts, habits, energy)?',
      'What outside obstacles might get in the way (time, money, other people)?',
      'For each obstacle, what is your strategy if it shows up?',
      'Who or what could help you when things get hard?',
    ],
  },
  {
    title: 'Action plan',
    intro: 'Turn the experiment into steps on a calendar, with someone cheering you on.',
    prompts: [
      'What are the steps of your plan, in order?',
      'What milestones will show you are on track, and by when?',
      'Who will you be accountable to, and how will you keep them updated?',
      'How will you celebrate reaching a milestone?',
    ],
  },
  {
    title: 'Reflect and adjust',
    intro: 'Whatever happened, the results are information, not a verdict on you.',
    prompts: [
      'What actually happened when you ran your experiment?',
      'What worked, and what did not?',
      'What surprised you?',
      'What will you adjust, keep or stop for the next round?',
    ],
  },
  {
    title: 'Learn and carry forward',
    intro: 'The last step turns this one problem into a way of solving the next.',
    prompts: [
      'What have you learned about the problem and about yourself?',
      'Which parts of this process helped you most?',
      'How will you use what you learned on your next challenge?',
      'What would you like to say to yourself when you look back on this?',
    ],
  },
];

export const PS101_FLOW: Ps101Flow = {
  version: 1,
  steps: STEPS.map((step, s) => ({
    number: s + 1,
    title: step.title,
    intro: step.intro,
    prompts: step.prompts.map((text, p) => ({ key: `${s + 1}.${p + 1}`, text })),
  })),
};

export const STEP_COUNT = PS101_FLOW.steps.length;

const promptsByKey = new Map(PS101_FLOW.steps.flatMap((step) => step.prompts.map((prompt) => [prompt.key, prompt])));

export const PROMPT_COUNT = promptsByKey.size;

export function isPromptKey(key: string): boolean {
  return promptsByKey.has(key);
}

export function promptText(key: string): string | undefined {
  return promptsByKey.get(key)?.text;
}

export function stepOf(step: number): Ps101Step {
  const found = PS101_FLOW.steps[step - 1];
  if (!found) throw new RangeError(`no PS101 step ${step}`);
  return found;
}

/**
 * The first prompt without an answer, from `step` onwards (wrapping to earlier steps), or
 * null when every prompt is answered. This is what the coach asks next.
 */
export function nextUnansweredPrompt(
  step: number,
  answers: Record<string, string>,
): { step: Ps101Step; prompt: Ps101Prompt } | null {
  for (let i = 0; i < STEP_COUNT; i++) {
    const candidate = stepOf(((step - 1 + i) % STEP_COUNT) + 1);
    const prompt = candidate.prompts.find((p) => !answers[p.key]);
    if (prompt) return { step: candidate, prompt };
  }
  return null;
}
