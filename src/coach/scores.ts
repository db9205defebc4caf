/**
 * Clarity, action and momentum: three 0–100 scores shown after every coach reply. They are
 * computed here, locally and deterministically, whichever coach wrote the reply, so the same
 * conversation always scores the same and a model can never invent a number.
 *
 * clarity (how clearly the person states the problem), from their message:
 *   length       0–40  40 × min(words, 60) / 60
 *   specificity  0–40  40 × min(specific terms, 8) / 8, where a specific term is a distinct
 *                      number, a word of 8+ letters, or a capitalised word inside a sentence
 *   intent       0–20  20 when the message states a goal ("I want", "my goal", "I need", …)
 *   hedging      −10 per hedge ("maybe", "not sure", "I don't know", …), at most −30
 * action (how concrete the next step is), from their message:
 *   verbs        0–60  15 per distinct concrete verb (apply, call, email, schedule, …), at most 4
 *   time         0–25  25 when a date or time is named (tomorrow, Friday, next week, 2026-03-01, …)
 *   commitment   0–15  15 for a first-person commitment ("I will", "I'll", "I'm going to", …)
 * momentum (whether things are moving), from activity and the workbook:
 *   activity     0–50  10 per distinct UTC day with a message in the last 7 days, at most 5
 *   answers      0–30  30 × answered prompts / all prompts
 *   steps        0–20  20 × (current step − 1) / 9, or 20 once the workbook is completed
 * Each score is rounded and clamped to 0–100.
 */
import { PROMPT_COUNT, STEP_COUNT } from '../ps101/flow.js';

export interface CoachMetrics {
  clarity: number;
  action: number;
  momentum: number;
}

export interface MetricsInput {
  /** The person's message the reply answered. */
  message: string;
  /** Distinct UTC days with a message by the person in the last 7 days, this one's included (see `activityDays`). */
  activeDays: number;
  workbook: { currentStep: number; answeredCount: number; completed: boolean };
  now: Date;
}

const WORD = /[\p{L}\p{N}][\p{L}\p{N}'’-]*/gu;
const GOAL = /\b(i want|i'd like|i would like|my goal|i need|i hope|i'm trying to|i am trying to|i wish)\b/iu;
const HEDGES = /\b(maybe|not sure|i don'?t know|kind of|sort of|i guess|whatever|no idea|perhaps)\b/giu;
const ACTION_VERBS =
  /\b(apply|call|email|write|send|ask|schedule|book|meet|finish|start|draft|update|research|contact|practi[cs]e|submit|visit|read|learn|talk|plan|build|register|interview|prepare|review|reach out|sign up|enrol|volunteer|network)/giu;
const TIME =
  /\b(today|tonight|tomorrow|monday|tuesday|wednesday|thursday|friday|saturday|sunday|(this|next) (week|month|weekend)|january|february|march|april|may|june|july|august|september|october|november|december|in \d+ (days?|weeks?|months?)|\d{4}-\d{2}-\d{2}|\d{1,2}\/\d{1,2}|\d{1,2}(:\d{2})? ?(am|pm))\b/iu;
const COMMITMENT = /\b(i will|i'll|i’ll|i am going to|i'm going to|i’m going to|i plan to|i commit)\b/iu;
const DAY_MS = 86_400_000;

const clamp = (score: number) => Math.min(100, Math.max(0, Math.round(score)));

function specificTerms(message: string): number {
  const terms = new Set<string>();
  for (const sentence of message.split(/[.!?\n]+/)) {
    const words = sentence.match(WORD) ?? [];
    words.forEach((word, index) => {
      const isNumber = /^\p{N}/u.test(word);
      const isLong = word.length >= 8;
      const isName = index > 0 && word !== 'I' && /^\p{Lu}/u.test(word);
      if (isNumber || isLong || isName) terms.add(word.toLowerCase());
    });
  }
  return terms.size;
}

export function clarityScore(message: string): number {
  const words = (message.match(WORD) ?? []).length;
  const length = (40 * Math.min(words, 60)) / 60;
  const specificity = (40 * Math.min(specificTerms(message), 8)) / 8;
  const intent = GOAL.test(message) ? 20 : 0;
  const hedging = Math.min((message.match(HEDGES) ?? []).length * 10, 30);
  return clamp(length + specificity + intent - hedging);
}

export function actionScore(message: string): number {
  const verbs = new Set((message.match(ACTION_VERBS) ?? []).map((verb) => verb.toLowerCase()));
  const time = TIME.test(message) ? 25 : 0;
  const commitment = COMMITMENT.test(message) ? 15 : 0;
  return clamp(15 * Math.min(verbs.size, 4) + time + commitment);
}

/**
 * The UTC days the activity counts, newest first: each as the range [from, to) of message
 * times, the oldest cut at the window's start (exclusive, 7 × 24 h before `now`). At most 8.
 */
export interface ActivityDay {
  from: string;
  to: string | null;
  fromExclusive: boolean;
}

export function activityDays(now: Date): ActivityDay[] {
  const since = now.getTime() - 7 * DAY_MS;
  const days: ActivityDay[] = [];
  let to: number | null = null;
  for (let start = Math.floor(now.getTime() / DAY_MS) * DAY_MS; ; start -= DAY_MS) {
    const cut = start <= since;
    days.push({ from: new Date(cut ? since : start).toISOString(), to: to === null ? null : new Date(to).toISOString(), fromExclusive: cut });
    if (cut) return days;
    to = start;
  }
}

export function momentumScore(input: Omit<MetricsInput, 'message'>): number {
  const activity = 10 * Math.min(input.activeDays, 5);
  const answers = (30 * Math.min(input.workbook.answeredCount, PROMPT_COUNT)) / PROMPT_COUNT;
  const steps = input.workbook.completed ? 20 : (20 * (input.workbook.currentStep - 1)) / (STEP_COUNT - 1);
  return clamp(activity + answers + steps);
}

export function computeMetrics(input: MetricsInput): CoachMetrics {
  return { clarity: clarityScore(input.message), action: actionScore(input.message), momentum: momentumScore(input) };
}
