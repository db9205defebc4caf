import { CATALOGUE, type CatalogueRole } from './catalogue.js';
import { termCounts, tokenize } from './text.js';

/**
 * Deterministic role matching: BM25's weighting applied to skill and value phrases.
 *
 * The person's text (workbook answers, their own chat messages, extracted file text) becomes
 * stem counts tf(t). A catalogue phrase p (a skill or a value) with stems T(p) matches when
 * every stem of T(p) occurs in the person's text; its frequency is tf(p) = min over T(p) of tf(t).
 *
 *   idf(t)   = ln(1 + (N - n(t) + 0.5) / (n(t) + 0.5))        N roles, n(t) roles using stem t
 *   w(p)     = mean of idf(t) over T(p)                         rare phrases weigh more
 *   sat(f)   = f * (k1 + 1) / (f + k1)                          repeats count, with diminishing returns
 *   norm(r)  = 1 - b + b * |P(r)| / avg|P|                      roles with long phrase lists are not favoured
 *   score(r) = ( Σ matched skills w(p)·sat(tf(p)) + λ · Σ matched values w(p)·sat(tf(p)) ) / norm(r)
 *
 * with k1 = 1.2, b = 0.75, λ = 0.6 (values say less about fit than skills). Scores are rounded
 * to 4 decimals; ties are broken by title, then id, so the same input always gives the same list.
 * Known limits: no negation ("I never want to teach" still mentions teaching), no synonyms.
 */
export const K1 = 1.2;
export const B = 0.75;
export const VALUE_WEIGHT = 0.6;
export const TOP_MATCHES = 20;

interface IndexedPhrase {
  text: string;
  stems: string[];
  weight: number;
}

interface IndexedRole {
  role: CatalogueRole;
  skills: IndexedPhrase[];
  values: IndexedPhrase[];
  norm: number;
}

export interface RankedRole {
  role: CatalogueRole;
  score: number;
  rank: number;
  matchedSkills: string[];
  matchedValues: string[];
}

export type TermProfile = Map<string, number>;

function uniqueStems(phrase: string): string[] {
  return [...new Set(tokenize(phrase))];
}

function buildIndex(catalogue: readonly CatalogueRole[]): IndexedRole[] {
  const roleCount = catalogue.length;
  const rolesUsing = new Map<string, number>();
  for (const role of catalogue) {
    const stems = new Set([...role.skills, ...role.values].flatMap(uniqueStems));
    for (const s of stems) rolesUsing.set(s, (rolesUsing.get(s) ?? 0) + 1);
  }
  const idf = (s: string) => {
    const n = rolesUsing.get(s) ?? 0;
    return Math.log(1 + (roleCount - n + 0.5) / (n + 0.5));
  };
  const phrase = (text: string): IndexedPhrase => {
    const stems = uniqueStems(text);
    const weight = stems.length === 0 ? 0 : stems.reduce((sum, s) => sum + idf(s), 0) / stems.length;
    return { text, stems, weight };
  };
  const averagePhrases = catalogue.reduce((sum, r) => sum + r.skills.length + r.values.length, 0) / Math.max(roleCount, 1);
  return catalogue.map((role) => ({
    role,
    skills: role.skills.map(phrase),
    values: role.values.map(phrase),
    norm: 1 - B + (B * (role.skills.length + role.values.length)) / averagePhrases,
  }));
}

let catalogueIndex: IndexedRole[] | undefined;

export function profileOf(texts: Iterable<string>): TermProfile {
  return termCounts(texts);
}

/** How often the phrase occurs in the profile: 0 unless every stem of it does. */
function phraseFrequency(phrase: IndexedPhrase, profile: TermProfile): number {
  if (phrase.stems.length === 0) return 0;
  let frequency = Infinity;
  for (const s of phrase.stems) frequency = Math.min(frequency, profile.get(s) ?? 0);
  return frequency;
}

const saturate = (frequency: number) => (frequency * (K1 + 1)) / (frequency + K1);

/** The best roles for the profile, best first; only roles with at least one matched phrase. */
export function rankRoles(profile: TermProfile, limit = TOP_MATCHES, catalogue?: readonly CatalogueRole[]): RankedRole[] {
  const index = catalogue ? buildIndex(catalogue) : (catalogueIndex ??= buildIndex(CATALOGUE));
  const scored: Omit<RankedRole, 'rank'>[] = [];
  for (const entry of index) {
    let raw = 0;
    const matchedSkills: string[] = [];
    const matchedValues: string[] = [];
    for (const [phrases, factor, matched] of [
      [entry.skills, 1, matchedSkills],
      [entry.values, VALUE_WEIGHT, matchedValues],
    ] as const) {
      for (const phrase of phrases) {
        const frequency = phraseFrequency(phrase, profile);
        if (frequency === 0) continue;
        raw += factor * phrase.weight * saturate(frequency);
        matched.push(phrase.text);
      }
    }
    if (matchedSkills.length + matchedValues.length === 0) continue;
    scored.push({ role: entry.role, score: Math.round((raw / entry.norm) * 10_000) / 10_000, matchedSkills, matchedValues });
  }
  scored.sort(
    (a, b) =>
      b.score - a.score ||
      (a.role.title < b.role.title ? -1 : a.role.title > b.role.title ? 1 : 0) ||
      (a.role.id < b.role.id ? -1 : 1),
  );
  return scored.slice(0, limit).map((entry, i) => ({ ...entry, rank: i + 1 }));
}

/** The role's skills that the text does not show (every stem of the skill must appear). */
export function missingSkills(role: CatalogueRole, text: string): string[] {
  const profile = profileOf([text]);
  return role.skills.filter((skill) => phraseFrequency({ text: skill, stems: uniqueStems(skill), weight: 0 }, profile) === 0);
}
