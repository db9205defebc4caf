import { CATALOGUE, type CatalogueRole } from './catalogue.js';
import { profileOf, tokenize, type TermProfile } from './text.js';

export { profileOf, type TermProfile } from './text.js';

/**
 * Deterministic role matching: BM25's weighting applied to a role's title words, skill phrases
 * and value phrases.
 *
 * The person's text (workbook answers, their own chat messages, extracted file text) becomes
 * stem counts tf(t). A catalogue phrase p with stems T(p) is matched by the stems M(p) ⊆ T(p)
 * the person used; its frequency is tf(p) = min over M(p) of tf(t), and it counts in full when
 * M(p) = T(p), in part (|M|/|T| · PARTIAL) otherwise, so "UX research" still meets "user research".
 * The role's title words are phrases too: someone who writes "UX" again and again is talking
 * about UX roles, whatever the skill list says.
 *
 *   idf(t)   = ln(1 + (N - n(t) + 0.5) / (n(t) + 0.5))        N roles, n(t) roles using stem t
 *   w(p)     = mean of idf(t) over M(p)                         rare words weigh more
 *   sat(f)   = f * (k1 + 1) / (f + k1)                          repeats count, with diminishing returns
 *   norm(r)  = 1 - b + b * |P(r)| / avg|P|                      roles with long phrase lists are not favoured
 *   score(r) = Σ over matched phrases of kind(p) · cover(p) · w(p) · sat(tf(p))  / norm(r)
 *
 * with kind = 1 for skills and title words, λ = 0.6 for values (values say less about fit than
 * skills), k1 = 4: a word written ten times counts about three times one written once, so what a
 * person keeps coming back to outweighs a long list of things they mention in passing (with
 * BM25's usual k1 = 1.2 ten mentions counted barely twice one, and "UX Designer" came 9th for
 * someone who wrote "UX research" throughout). Scores are rounded to 4 decimals; ties are broken
 * by title, then id, so the same input always gives the same list. The work is linear in the
 * text (one tokenizing pass) plus a fixed amount per catalogue phrase.
 * Known limits: no negation ("I never want to teach" still mentions teaching), no synonyms.
 */
export const K1 = 4;
export const B = 0.75;
export const VALUE_WEIGHT = 0.6;
export const TITLE_WEIGHT = 1.5;
/** A phrase matched in part counts this much of its share of matched words. */
export const PARTIAL = 0.5;
export const TOP_MATCHES = 20;
/** The person's words named in a match's explanation, most used first. */
export const WORDS_SHOWN = 6;

interface IndexedPhrase {
  text: string;
  stems: string[];
  idf: number[];
}

interface IndexedRole {
  role: CatalogueRole;
  title: IndexedPhrase[];
  skills: IndexedPhrase[];
  values: IndexedPhrase[];
  norm: number;
}

export interface RankedRole {
  role: CatalogueRole;
  score: number;
  rank: number;
  /** Skill phrases the person's text covers in full. */
  matchedSkills: string[];
  /** Value phrases the person's text covers in full. */
  matchedValues: string[];
  /** The person's own words behind the score, most used first (at most WORDS_SHOWN). */
  matchedWords: string[];
}

function uniqueStems(phrase: string): string[] {
  return [...new Set(tokenize(phrase))];
}

function buildIndex(catalogue: readonly CatalogueRole[]): IndexedRole[] {
  const roleCount = catalogue.length;
  const rolesUsing = new Map<string, number>();
  for (const role of catalogue) {
    const stems = new Set([role.title, ...role.skills, ...role.values].flatMap(uniqueStems));
    for (const s of stems) rolesUsing.set(s, (rolesUsing.get(s) ?? 0) + 1);
  }
  const idf = (s: string) => {
    const n = rolesUsing.get(s) ?? 0;
    return Math.log(1 + (roleCount - n + 0.5) / (n + 0.5));
  };
  const phrase = (text: string): IndexedPhrase => {
    const stems = uniqueStems(text);
    return { text, stems, idf: stems.map(idf) };
  };
  const averagePhrases = catalogue.reduce((sum, r) => sum + r.skills.length + r.values.length, 0) / Math.max(roleCount, 1);
  return catalogue.map((role) => ({
    role,
    // Each title word on its own: "UX" alone says as much as "UX Designer".
    title: uniqueStems(role.title).map((s) => ({ text: s, stems: [s], idf: [idf(s)] })),
    skills: role.skills.map(phrase),
    values: role.values.map(phrase),
    norm: 1 - B + (B * (role.skills.length + role.values.length)) / averagePhrases,
  }));
}

let catalogueIndex: IndexedRole[] | undefined;

const saturate = (frequency: number) => (frequency * (K1 + 1)) / (frequency + K1);

interface PhraseMatch {
  value: number;
  full: boolean;
  stems: string[];
}

/** How much the phrase says about the profile: 0 when none of its words were used. */
function matchPhrase(phrase: IndexedPhrase, counts: Map<string, number>): PhraseMatch | undefined {
  let frequency = Infinity;
  let idfSum = 0;
  const stems: string[] = [];
  phrase.stems.forEach((s, i) => {
    const count = counts.get(s) ?? 0;
    if (count === 0) return;
    frequency = Math.min(frequency, count);
    idfSum += phrase.idf[i]!;
    stems.push(s);
  });
  if (stems.length === 0) return undefined;
  const full = stems.length === phrase.stems.length;
  const cover = full ? 1 : (PARTIAL * stems.length) / phrase.stems.length;
  return { value: cover * (idfSum / stems.length) * saturate(frequency), full, stems };
}

/** The best roles for the profile, best first; only roles with at least one matched word. */
export function rankRoles(profile: TermProfile, limit = TOP_MATCHES, catalogue?: readonly CatalogueRole[]): RankedRole[] {
  const index = catalogue ? buildIndex(catalogue) : (catalogueIndex ??= buildIndex(CATALOGUE));
  const { counts } = profile;
  const scored: Omit<RankedRole, 'rank'>[] = [];
  for (const entry of index) {
    let raw = 0;
    const matchedSkills: string[] = [];
    const matchedValues: string[] = [];
    const stems = new Set<string>();
    for (const [phrases, factor, matched] of [
      [entry.title, TITLE_WEIGHT, undefined],
      [entry.skills, 1, matchedSkills],
      [entry.values, VALUE_WEIGHT, matchedValues],
    ] as const) {
      for (const phrase of phrases) {
        const match = matchPhrase(phrase, counts);
        if (!match) continue;
        raw += factor * match.value;
        if (match.full) matched?.push(phrase.text);
        // Values are named as phrases in the explanation; words come from the title and skills.
        if (matched !== matchedValues) for (const s of match.stems) stems.add(s);
      }
    }
    if (raw === 0) continue;
    const matchedWords = [...stems]
      .sort((a, b) => (counts.get(b) ?? 0) - (counts.get(a) ?? 0) || (a < b ? -1 : a > b ? 1 : 0))
      .slice(0, WORDS_SHOWN)
      .map((s) => profile.words.get(s) ?? s);
    scored.push({ role: entry.role, score: Math.round((raw / entry.norm) * 10_000) / 10_000, matchedSkills, matchedValues, matchedWords });
  }
  scored.sort(
    (a, b) =>
      b.score - a.score ||
      (a.role.title < b.role.title ? -1 : a.role.title > b.role.title ? 1 : 0) ||
      (a.role.id < b.role.id ? -1 : 1),
  );
  return scored.slice(0, limit).map((entry, i) => ({ ...entry, rank: i + 1 }));
}

/** "Matches your words: research, interviews; your value: autonomy": the score in the person's terms. */
export function explainMatch(words: readonly string[], values: readonly string[]): string {
  const parts: string[] = [];
  if (words.length > 0) parts.push(`Matches your ${words.length === 1 ? 'word' : 'words'}: ${words.join(', ')}`);
  if (values.length > 0) parts.push(`${parts.length ? 'your' : 'Matches your'} ${values.length === 1 ? 'value' : 'values'}: ${values.join(', ')}`);
  return parts.join('; ');
}

/** The role's skills that the text does not show (every stem of the skill must appear). */
export function missingSkills(role: CatalogueRole, text: string): string[] {
  const { counts } = profileOf([text]);
  return role.skills.filter((skill) => !uniqueStems(skill).every((s) => (counts.get(s) ?? 0) > 0) || uniqueStems(skill).length === 0);
}
