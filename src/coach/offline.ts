import { nextUnansweredPrompt, stepOf, type Ps101Prompt, type Ps101Step } from '../ps101/flow.js';
import { STEP_EXPERIMENTS, THEME_EXPERIMENTS, THEME_NOTES } from './ideas.js';
import type { CoachContext, CoachProvider, CoachReply } from './provider.js';
import { READ_MAX_CHARS, readMessage, type Reading, type Theme } from './reading.js';

const HEARD: Record<Theme, string> = {
  exhaustion: 'tiredness is part of this',
  money: 'money is part of the picture',
  confidence: 'doubt is part of this',
  skills: 'skills and experience are on your mind',
  'job-search': 'the search itself is weighing on you',
  change: 'you are weighing a change of direction',
  workplace: 'the people at work matter here',
  time: 'time is tight',
  direction: 'the direction itself is still open',
};

const CRISIS_LINES =
  'If you might act on these thoughts or you are in danger, call your local emergency number now. A crisis line is there any time: in the US call or text **988**, in the UK and Ireland call Samaritans on **116 123**, and elsewhere you can find a free line at [findahelpline.com](https://findahelpline.com).';

/** A small, stable number from the message's start: the same words always vary the same way. */
function hashOf(text: string): number {
  let hash = 2166136261;
  for (let i = 0; i < Math.min(text.length, READ_MAX_CHARS); i++) hash = Math.imul(hash ^ text.charCodeAt(i), 16777619) >>> 0;
  return hash;
}

const shorten = (text: string, words: number) => {
  const all = text.trim().split(/\s+/, words + 1);
  return all.length > words ? `${all.slice(0, words).join(' ')}…` : all.join(' ');
};

const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

interface Next {
  step: Ps101Step;
  prompt: Ps101Prompt;
}

function question(next: Next | null, completed: boolean): string {
  if (!next) {
    return completed
      ? 'You have finished the workbook. Which of your lessons do you want to try on your next challenge?'
      : 'You have answered every prompt in the workbook. Which step would you like to look at again?';
  }
  return `**Step ${next.step.number} · ${next.step.title}**: ${next.prompt.text}`;
}

/** Tells the person's substance back: their goal, worry or feeling in their words, else what it touches. */
function reflection(reading: Reading, variant: number): string {
  const parts: string[] = [];
  if (reading.goal) parts.push(`you want to ${reading.goal}`);
  if (reading.worry) parts.push(`you are worried ${reading.worry}`);
  if (reading.feeling && parts.length < 2) parts.push(`you feel ${reading.feeling}`);
  const theme = reading.themes.length > 0 ? reading.themes[variant % reading.themes.length]! : null;
  if (theme && parts.length < 2) parts.push(parts.length === 0 ? `it sounds like ${HEARD[theme]}` : `${HEARD[theme]}`);
  if (parts.length > 0) {
    const [first, second] = parts;
    return second ? `${capitalise(first!)}, and ${second}.` : `${capitalise(first!)}.`;
  }
  if (reading.keywords.length > 0) {
    const words = reading.keywords.map((word) => `“${word}”`);
    const list = words.length === 1 ? words[0] : `${words.slice(0, -1).join(', ')} and ${words.at(-1)}`;
    return variant % 2 === 0 ? `You brought up ${list}: let’s stay with that.` : `${capitalise(list!)} stand out in what you wrote.`;
  }
  return variant % 2 === 0 ? 'Thanks for telling me.' : 'I am listening.';
}

/**
 * The coach that needs no network. It reads the person's latest message for its kind, themes
 * and their own phrases, and answers from the PS101 content and their workbook: what it heard,
 * one note, a small experiment, and the next useful question for their step. Deterministic:
 * the variation comes from the words and the history, and a reply never equals the coach's
 * previous one (or the reply being regenerated).
 */
export class OfflineCoach implements CoachProvider {
  readonly name = 'offline';

  async reply(context: CoachContext): Promise<CoachReply> {
    const history = context.history;
    const latestIndex = history.findLastIndex((m) => m.role === 'user');
    const latest = latestIndex >= 0 ? history[latestIndex]!.content : '';
    const previous = context.avoid ?? history.slice(0, Math.max(latestIndex, 0)).findLast((m) => m.role === 'coach')?.content;
    const turn = history.filter((m) => m.role === 'coach').length;
    const seed = turn + hashOf(latest);
    const reading = readMessage(latest);
    let content = '';
    // Each variant changes a wording; four are more than enough to differ from one reply.
    for (let shift = 0; shift < 4; shift++) {
      content = this.#compose(context, reading, previous, seed + shift);
      if (content !== previous) break;
    }
    return { content, provider: this.name };
  }

  #compose(context: CoachContext, reading: Reading, previous: string | undefined, variant: number): string {
    const { currentStep, answers, completed } = context.workbook;
    const step = stepOf(currentStep);
    let next: Next | null = nextUnansweredPrompt(currentStep, answers);
    // The person may be answering the question the coach just asked: offer to keep it in the
    // workbook, and move the conversation to the prompt after it.
    let saveHint = '';
    if (next && previous?.includes(next.prompt.text) && reading.kind === 'substance' && reading.wordCount >= 6) {
      saveHint = `If that answers “${next.prompt.text}”, it is worth saving in your workbook (step ${next.step.number}) so it is there when you plan.`;
      next = nextUnansweredPrompt(currentStep, { ...answers, [next.prompt.key]: 'pending' });
    }
    const ask = question(next, completed);
    const problem = answers['1.1'] ? shorten(answers['1.1'], 14) : null;
    const pick = <T>(pair: readonly [T, T]): T => pair[variant % 2]!;

    switch (reading.kind) {
      case 'crisis':
        return [
          pick([
            'I am really sorry you are feeling this way, and I am glad you said it.',
            'Thank you for telling me; that sounds very painful.',
          ] as const),
          'You deserve support from a person right now, and I am an automated coach, not a counsellor.',
          CRISIS_LINES,
          'Talking to someone you trust, or to your doctor, can help too. Your career questions will keep until you are ready.',
        ].join(' ');
      case 'distress':
        return [
          pick([
            'That sounds really heavy, and it makes sense that careers feel hard to think about right now.',
            'I am sorry it is this hard at the moment. It is understandable that everything feels bigger when you feel like this.',
          ] as const),
          'I am an automated coach, not a therapist: if this feeling stays with you, please talk to someone you trust or your doctor, and if it ever feels unsafe, a crisis line (**988** in the US, Samaritans **116 123** in the UK and Ireland) is there any time.',
          pick(['When you are ready, we can take one small thing at a time. What is one thing that would make this week a little easier?', 'There is no rush here. What is the smallest thing that would help you this week?'] as const),
        ].join(' ');
      case 'thanks':
        return [
          pick(['You are welcome.', 'Glad it helped.'] as const),
          next ? `When you are ready, here is the next question from your workbook: ${ask}` : ask,
        ].join(' ');
      case 'greeting':
        return [
          pick(['Hello! I am Mosaic’s coach.', 'Hi, good to see you.'] as const),
          problem ? `In your workbook you named your problem as “${problem}”.` : '',
          'What is on your mind about your work today?',
          next ? `If you would like a place to start: ${ask}` : ask,
        ]
          .filter(Boolean)
          .join(' ');
      case 'about-mosaic':
        return [
          'Mosaic helps you work through a career question step by step. Its workbook follows PS101: ten steps, from naming the problem to learning from a small experiment.',
          'I am its built-in coach: I answer from your workbook and our conversation, without an AI model, so my replies are simple and nothing you write leaves Mosaic.',
          'You can also track jobs, keep résumés and files, and download everything you have written from the Account screen.',
          pick([`To begin where you are: ${ask}`, `Shall we go on? ${ask}`] as const),
        ].join(' ');
      case 'off-topic':
        return [
          pick(['That is outside what I can help with: I am here for your work and career.', 'I am only a career coach, so I will leave that one to others.'] as const),
          'If something about work is on your mind, I am listening.',
          next ? `Or we could pick up your workbook: ${ask}` : ask,
        ].join(' ');
      case 'substance': {
        const theme = reading.themes.length > 0 ? reading.themes[variant % reading.themes.length]! : null;
        const experiment = theme ? pick(THEME_EXPERIMENTS[theme]) : pick(STEP_EXPERIMENTS[step.number - 1]!);
        // Three short paragraphs: what was heard, one thing to try, one question.
        const heard = [
          reflection(reading, variant),
          reading.isQuestion ? 'There is rarely one right answer to that, but a small test can show you yours.' : '',
          theme ? pick(THEME_NOTES[theme]) : '',
          saveHint,
        ];
        return [
          heard.filter(Boolean).join(' '),
          `A small next step: ${experiment}`,
          next && next.step.number !== step.number ? `Step ${step.number} is fully answered, so let’s look at the next one. ${ask}` : ask,
        ].join('\n\n');
      }
    }
  }
}
