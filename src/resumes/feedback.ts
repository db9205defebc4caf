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

// A money amount, a percentage, a multiplier, or a number that is not a year.
const QUANTITY =
  /[$€£]\s?\d[\d,]*(?:\.\d+)?\s?(?:k|m|bn|b|million|billion)?\b|\b\d[\d,]*(?:\.\d+)?\s?(?:%|percent\b)|\b\d+(?:\.\d+)?x\b|\b\d[\d,]*(?:\.\d+)?\b/gi;
const YEAR = /^(19|20)\d\d$/;
// Only spaces and tabs around the words: with `\s` the leading run also swallowed line breaks,
// so every line of a text of blank lines rescanned all the lines after it (quadratic).
const SUMMARY_HEADING =
  /^[ \t]*(?:#{1,6}[ \t]*)?(?:(?:professional|career|executive)[ \t]+)?(?:summary|profile|objective|about[ \t]+me|personal[ \t]+statement)/im;
/**
 * Feedback reads at most this much of a résumé: a 900-word résumé is about 6,000 characters,
 * so the cap never changes a real verdict, and every pass below stays bounded.
 */
export const MAX_REVIEW_CHARS = 50_000;

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

function quantities(text: string): string[] {
  return [...text.matchAll(QUANTITY)].map((m) => m[0].trim()).filter((q) => !YEAR.test(q));
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
  const suggestions: string[] = [];
  if (length.verdict !== 'good') suggestions.push(length.advice);
  if (numbers.length < 3) suggestions.push('Quantify results: numbers, percentages or amounts show the size of what you did.');
  if (verbs.length < 5) suggestions.push('Start achievements with action verbs such as led, built, improved or reduced.');
  if (!summary) suggestions.push('Add a short summary section at the top that says who you are and what you aim for.');
  if (job && job.missingSkills.length > 0) {
    suggestions.push(`For ${job.title}, show where you used: ${job.missingSkills.join(', ')}.`);
  }
  return {
    length,
    quantifiedResults: { count: numbers.length, examples: numbers.slice(0, 5) },
    actionVerbs: { count: verbs.length, found: verbs },
    summarySection: { present: summary },
    jobMatch: job,
    suggestions,
  };
}
