import { diffLines, diffWordsWithSpace, type ChangeObject } from 'diff';
import type { DiffPart } from './responses.js';

// Comparing two versions runs on the event loop, so its work is bounded: the line diff gives
// up past LINE_DIFF_BUDGET (edit count and time) and shows the whole texts as replaced; a
// changed block is refined word by word only when it is small, within one shared time budget.

const LINE_DIFF_BUDGET = { maxEditLength: 4_000, timeout: 50 } as const;
/** A removed-and-added pair of blocks longer than this (together) stays a line-level change. */
const MAX_WORD_DIFF_CHARS = 8_000;
/** Milliseconds all word-level refinements of one comparison may take together. */
const WORD_DIFF_BUDGET_MS = 50;

const op = (change: ChangeObject<string>): DiffPart['op'] => (change.added ? 'insert' : change.removed ? 'delete' : 'equal');

function pushPart(parts: DiffPart[], part: DiffPart): void {
  if (!part.text) return;
  const last = parts.at(-1);
  if (last && last.op === part.op) last.text += part.text;
  else parts.push({ ...part });
}

/** The changes from `older` to `newer`: equal, deleted and inserted stretches, in reading order. */
export function compareTexts(older: string, newer: string): { wordLevel: boolean; parts: DiffPart[] } {
  const lines = diffLines(older, newer, LINE_DIFF_BUDGET);
  if (!lines) {
    const parts: DiffPart[] = [];
    pushPart(parts, { op: 'delete', text: older });
    pushPart(parts, { op: 'insert', text: newer });
    return { wordLevel: false, parts };
  }
  const deadline = performance.now() + WORD_DIFF_BUDGET_MS;
  let wordLevel = true;
  const parts: DiffPart[] = [];
  for (let i = 0; i < lines.length; i += 1) {
    const change = lines[i]!;
    const next = lines[i + 1];
    // A removed block followed by an added one is an edit: show which words changed in it.
    if (change.removed && next?.added && change.value.length + next.value.length <= MAX_WORD_DIFF_CHARS) {
      const remaining = deadline - performance.now();
      const words = remaining > 0 ? diffWordsWithSpace(change.value, next.value, { timeout: remaining }) : undefined;
      if (words) {
        for (const word of words) pushPart(parts, { op: op(word), text: word.value });
        i += 1;
        continue;
      }
    }
    if (change.added || change.removed) wordLevel = wordLevel && !(next?.added && change.removed);
    pushPart(parts, { op: op(change), text: change.value });
  }
  return { wordLevel, parts };
}
