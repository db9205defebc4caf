import { nextUnansweredPrompt, stepOf } from '../ps101/flow.js';
import type { CoachContext, CoachProvider, CoachReply } from './provider.js';

const QUOTE_MAX_CHARS = 160;

/** The person's first sentence, shortened at a word boundary, to reflect back. */
function reflection(message: string): string {
  const firstSentence = message.trim().split(/(?<=[.!?])\s|\n/)[0]!.trim();
  if (firstSentence.length <= QUOTE_MAX_CHARS) return firstSentence.replace(/[.!?]+$/, '');
  const cut = firstSentence.slice(0, QUOTE_MAX_CHARS);
  return `${cut.slice(0, Math.max(cut.lastIndexOf(' '), 1))}…`;
}

/**
 * The coach that needs no network: it reflects the person's words back, ties them to their
 * current PS101 step and asks that step's next unanswered prompt. The same input always
 * gives the same reply, which keeps tests and offline demos exact.
 */
export class OfflineCoach implements CoachProvider {
  readonly name = 'offline';

  async reply(context: CoachContext): Promise<CoachReply> {
    const latest = [...context.history].reverse().find((m) => m.role === 'user');
    const heard = latest ? `I hear you: “${reflection(latest.content)}”.` : 'Thanks for reaching out.';
    const { currentStep, answers, completed } = context.workbook;
    const step = stepOf(currentStep);
    const next = nextUnansweredPrompt(currentStep, answers);
    let ask: string;
    if (!next) {
      ask = completed
        ? 'You have answered every prompt and finished the workbook. Which of your lessons do you want to try on your next challenge?'
        : `You have answered every prompt. When you are ready, finish step ${currentStep} and look back on how far you have come.`;
    } else if (next.step.number === step.number) {
      ask = `This connects to step ${step.number}, “${step.title}”. ${next.prompt.text}`;
    } else {
      ask = `Step ${step.number}, “${step.title}”, is fully answered. Let’s look at step ${next.step.number}, “${next.step.title}”: ${next.prompt.text}`;
    }
    return { content: `${heard} ${ask}`, provider: this.name };
  }
}
