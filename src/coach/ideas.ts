import type { Theme } from './reading.js';

/**
 * The offline coach's content beyond the PS101 prompts: what it notices about a theme, and a
 * small experiment for each theme and each step. Each has two wordings, so a reply can change
 * without changing its substance when the person says something similar again.
 */

export const THEME_NOTES: Record<Theme, [string, string]> = {
  exhaustion: [
    'Running on empty makes every option look harder than it is.',
    'Tiredness is information: it often points at what has to change first.',
  ],
  money: [
    'Money is a real constraint, and it is worth putting numbers on it rather than carrying it as a worry.',
    'Knowing your actual floor (the income you truly need) often makes more options possible than it seems.',
  ],
  confidence: [
    'Doubt is common at exactly this point, and it is rarely evidence about what you can do.',
    'That doubt deserves a look: is it a fact, or an assumption you could test?',
  ],
  skills: [
    'You probably have more transferable experience than you are counting.',
    'Skills gaps are usually smaller and more specific than they feel from the outside.',
  ],
  'job-search': [
    'A search goes better when a few applications get real care than when many get a little.',
    'Silence and rejections say more about the odds of the process than about you.',
  ],
  change: [
    'Big moves are easier as a series of small, reversible tests.',
    'A change of direction rarely needs a leap; a first small bridge is usually enough.',
  ],
  workplace: [
    'What happens at work with the people around you shapes a lot of how the job feels.',
    'It can help to separate what this role could still give you from what this workplace never will.',
  ],
  time: [
    'With little spare time, the next step has to fit into a small, protected slot.',
    'Your time is limited, so the plan should be sized for the week you actually have.',
  ],
  direction: [
    'Not knowing yet is a normal place to start: direction tends to come from trying things, not from thinking harder.',
    'Feeling stuck often means there are too few options on the table, not too few answers in you.',
  ],
};

export const THEME_EXPERIMENTS: Record<Theme, [string, string]> = {
  exhaustion: [
    'Pick one evening this week that is for rest only, and notice whether your view of the problem changes after it.',
    'For three days, note at the end of each day which part of work drained you most and which part gave you energy.',
  ],
  money: [
    'Spend 20 minutes writing down your monthly must-have costs: that number is your floor for any option.',
    'Look up the pay range for one role you are curious about (two or three job ads are enough) and compare it with your floor.',
  ],
  confidence: [
    'Write down three things you have done that were hard, and the skill each one took.',
    'Find two people who made a similar move (a LinkedIn search works) and read how they did it.',
  ],
  skills: [
    'Take one job ad you like and mark each requirement you already meet, even partly.',
    'Pick the single most-asked-for skill in ads you like, and find a free hour-long intro to it this week.',
  ],
  'job-search': [
    'Choose the two openings you care about most and tailor your CV to each before Friday.',
    'Ask one person to read your CV for five minutes and tell you what stands out, this week.',
  ],
  change: [
    'Book one 20-minute chat with someone who does the work you are curious about, this week.',
    'Spend two hours this weekend doing a small piece of the new work (a tiny project or a free course module).',
  ],
  workplace: [
    'Write down, in two columns, what you would keep and what you would leave about your current workplace.',
    'Ask for one conversation with your manager about a single, specific thing you want to change.',
  ],
  time: [
    'Block 30 minutes in your calendar this week for one career step, and treat it like an appointment.',
    'Find one thing you could drop or delegate for a week to free an hour for this.',
  ],
  direction: [
    'Set a 10-minute timer and write ten possible directions, including two that feel silly.',
    'Write down three moments at work or outside it when time flew, and what you were doing.',
  ],
};

/** One small experiment per PS101 step (index 0 is step 1). */
export const STEP_EXPERIMENTS: [string, string][] = [
  ['Write the problem in one sentence and read it again tomorrow: is it still the real problem?', 'Tell one person your problem in two sentences and notice what you leave out.'],
  ['For the next three workdays, jot one line each evening on when things felt better or worse.', 'List who is involved in the situation and what each of them wants.'],
  ['Take one assumption you hold and look for one piece of evidence against it this week.', 'Ask "why?" five times about the problem, on paper, and circle the answer you could influence.'],
  ['List three times you solved something hard, and the skill each one took.', 'Ask someone who knows you well what they think you are good at.'],
  ['Set a 10-minute timer and write ten options before judging any of them.', 'Pick your two favourite options and write one pro and one risk for each.'],
  ['Design a test you can finish within two weeks, like one informational chat or a tiny project.', 'Decide what result would tell you the experiment worked, and write it down first.'],
  ['Write "If <obstacle>, then I will <strategy>" for your biggest obstacle.', 'Name one person you could call when things get hard, and let them know.'],
  ['Put the first step of your plan in your calendar with a time, and tell one person about it.', 'Write your plan as three steps with a date next to each.'],
  ['Write three lines: what happened, what surprised you, what you will change.', 'Compare what happened with what you expected, and note one lesson.'],
  ['Write a short note to your future self about what you learned.', 'Pick the one habit from this process you want to keep, and schedule it.'],
];
