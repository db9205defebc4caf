import { quantities } from './quantities.js';
import type { FeedbackCheck } from './responses.js';

// Deterministic résumé feedback: the same text (and job) always gives the same document.

export const LENGTH_LIMITS = { minWords: 150, maxWords: 900 } as const;

// Common résumé action verbs, in the past tense people write achievements in.
const ACTION_VERBS = new Set(
  (
    'achieved administered advised analysed analyzed arranged assessed automated boosted built coached collaborated ' +
    'completed conducted configured coordinated created cut decreased delivered designed developed diagnosed directed ' +
    'doubled drafted drove earned edited eliminated established evaluated exceeded expanded facilitated founded generated ' +
    'grew guided handled headed hired implemented improved increased initiated installed introduced launched led ' +
    'maintained managed mentored migrated negotiated operated optimised optimized organised organized oversaw partnered ' +
    'planned presented prioritised prioritized produced programmed published raised recruited redesigned reduced ' +
    'resolved restructured revamped saved scheduled secured served shipped simplified solved spearheaded streamlined ' +
    'strengthened supervised supported taught tested trained transformed tripled upgraded won wrote'
  ).split(' '),
);

// Only spaces and tabs around the words: with `\s` the leading run also swallowed line breaks,
// so every line of a text of blank lines rescanned all the lines after it (quadratic).
const SUMMARY_HEADING =
  /^[ \t]*(?:#{1,6}[ \t]*)?(?:(?:professional|career|executive)[ \t]+)?(?:summary|profile|objective|about[ \t]+me|personal[ \t]+statement)/im;
/**
 * Feedback reads at most this much of a résumé: a 900-word résumé is about 6,000 characters,
 * so the cap never changes a real verdict, and every pass below stays bounded.
 */
export const MAX_REVIEW_CHARS = 50_000;

/** How many quantified results and distinct action verbs make those checks pass. */
export const CHECK_THRESHOLDS = { quantifiedResults: 3, actionVerbs: 5 } as const;

/** The feedback document as stored (JSON): the measurements; the checks are derived from it on every read. */
export interface ResumeFeedback {
  length: { words: number; verdict: 'too_short' | 'good' | 'too_long'; advice: string };
  quantifiedResults: { count: number; examples: string[] };
  actionVerbs: { count: number; found: string[] };
  summarySection: { present: boolean };
  jobMatch: { id: number; title: string; missingSkills: string[] } | null;
  suggestions: string[];
}

function lengthVerdict(words: number): ResumeFeedback['length'] {
  if (words < LENGTH_LIMITS.minWords) {
    return { words, verdict: 'too_short', advice: `Under ${LENGTH_LIMITS.minWords} words: add your results and the skills you used.` };
  }
  if (words > LENGTH_LIMITS.maxWords) {
    return { words, verdict: 'too_long', advice: `Over ${LENGTH_LIMITS.maxWords} words: keep what matters for the role, about two pages at most.` };
  }
  return { words, verdict: 'good', advice: 'A good length.' };
}

function actionVerbs(text: string): string[] {
  const found: string[] = [];
  for (const word of text.toLowerCase().match(/[a-z]+/g) ?? []) {
    if (ACTION_VERBS.has(word) && !found.includes(word)) found.push(word);
  }
  return found;
}

/** Feedback on a résumé text; `job` adds the skills of the linked role that the text lacks. */
export function reviewResume(
  fullText: string,
  job: { id: number; title: string; missingSkills: string[] } | null,
): ResumeFeedback {
  const text = fullText.slice(0, MAX_REVIEW_CHARS);
  const words = text.match(/\S+/g)?.length ?? 0;
  const length = lengthVerdict(words);
  const numbers = quantities(text);
  const verbs = actionVerbs(text);
  const summary = SUMMARY_HEADING.test(text);
  const measured = {
    length,
    quantifiedResults: { count: numbers.length, examples: numbers.slice(0, 5) },
    actionVerbs: { count: verbs.length, found: verbs },
    summarySection: { present: summary },
    jobMatch: job,
  };
  return { ...measured, suggestions: checksOf(measured).flatMap((check) => (check.passed ? [] : [check.advice])) };
}

/**
 * The checklist of a feedback document. Each check either passes or gives advice, never both,
 * and the suggestions are exactly the advice of the checks that did not pass, so the page can
 * never show "✓ Action verbs" beside "Start achievements with action verbs". Derived on read,
 * so feedback stored before the checks existed reads the same way.
 */
export function checksOf(feedback: Omit<ResumeFeedback, 'suggestions'>): FeedbackCheck[] {
  const { length, quantifiedResults: numbers, actionVerbs: verbs, summarySection, jobMatch } = feedback;
  const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
  const checks: FeedbackCheck[] = [
    length.verdict === 'good'
      ? { key: 'length', passed: true, label: `Length: ${plural(length.words, 'word', 'words')}, a good length`, advice: null }
      : { key: 'length', passed: false, label: `Length: ${plural(length.words, 'word', 'words')}`, advice: length.advice },
    numbers.count >= CHECK_THRESHOLDS.quantifiedResults
      ? { key: 'quantifiedResults', passed: true, label: `Quantified results: ${numbers.count} (${numbers.examples.slice(0, 3).join(', ')})`, advice: null }
      : {
          key: 'quantifiedResults',
          passed: false,
          label: `Quantified results: ${numbers.count}${numbers.count ? ` (${numbers.examples.slice(0, 3).join(', ')})` : ''}`,
          advice: `Quantify at least ${CHECK_THRESHOLDS.quantifiedResults} results: amounts, percentages or counts of people and things (for example "cut costs by 15%" or "trained 12 new staff").`,
        },
    verbs.count >= CHECK_THRESHOLDS.actionVerbs
      ? { key: 'actionVerbs', passed: true, label: `Action verbs: ${verbs.found.slice(0, 8).join(', ')}`, advice: null }
      : {
          key: 'actionVerbs',
          passed: false,
          label: `Action verbs: ${verbs.count ? verbs.found.join(', ') : 'none found'}`,
          advice: `Start more achievements with action verbs such as led, built, improved or reduced (${verbs.count} of ${CHECK_THRESHOLDS.actionVerbs} so far).`,
        },
    summarySection.present
      ? { key: 'summary', passed: true, label: 'A summary section at the top', advice: null }
      : { key: 'summary', passed: false, label: 'No summary section', advice: 'Add a short summary section at the top that says who you are and what you aim for.' },
  ];
  if (jobMatch) {
    checks.push(
      jobMatch.missingSkills.length === 0
        ? { key: 'jobSkills', passed: true, label: `Skills for ${jobMatch.title}: all present`, advice: null }
        : {
            key: 'jobSkills',
            passed: false,
            label: `Skills for ${jobMatch.title}: ${jobMatch.missingSkills.length} missing`,
            advice: `For ${jobMatch.title}, show where you used: ${jobMatch.missingSkills.join(', ')}.`,
          },
    );
  }
  return checks;
}
