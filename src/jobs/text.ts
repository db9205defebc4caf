// A small tokenizer and suffix-stripping stemmer, enough to let "managed a team", "team
// management" and "manager" meet on the same stems. Deterministic and dependency-free; not
// a linguistic stemmer (Porter's full rule set is more than phrase matching needs).

const STOPWORDS = new Set(
  (
    'a an the and or nor of to in on for with at by from as is are was were be been being i me my mine we us our ' +
    'you your it its this that these those but not no so do did does doing have has had will would can could ' +
    'should shall may might must about into onto than then there their they them he she his her him what which ' +
    'who whom when where why how all any some more most very just also like want really am if else each other ' +
    'own same such too only over under again once here out up down off while during before after above below ' +
    'between through both few many much one lot lots thing things get got make made'
  ).split(' '),
);

const DOUBLE_CONSONANT = /([b-df-hj-np-rt-z])\1$/;
const KEEP_DOUBLE = new Set(['ll', 'ss', 'zz']);

export function stem(word: string): string {
  let w = word;
  if (w.length > 4 && w.endsWith('ies')) w = `${w.slice(0, -3)}y`;
  else if (w.length > 3 && w.endsWith('s') && !/(ss|us|is)$/.test(w)) w = w.slice(0, -1);
  for (const suffix of ['ment', 'ing', 'ed', 'er', 'ly']) {
    if (w.endsWith(suffix) && w.length - suffix.length >= 3) {
      w = w.slice(0, -suffix.length);
      break;
    }
  }
  if (w.length > 3 && w.endsWith('e')) w = w.slice(0, -1);
  const double = DOUBLE_CONSONANT.exec(w);
  if (double && !KEEP_DOUBLE.has(double[0]) && w.length > 3) w = w.slice(0, -1);
  return w;
}

/** Lower-cased, accent-free words (letters, digits, `+`, `#`), stopwords dropped, not stemmed. */
function wordsOf(text: string): string[] {
  const words = text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .match(/[a-z0-9][a-z0-9+#]*/g);
  return words ? words.filter((word) => !STOPWORDS.has(word)) : [];
}

/** Lower-cased, accent-free words (letters, digits, `+`, `#`), stopwords dropped, stemmed. */
export function tokenize(text: string): string[] {
  return wordsOf(text).map(stem);
}

/**
 * What the person wrote, as stem counts, with a word they used for each stem, so a match can
 * be explained in their own words ("interviews", not the stem "interview").
 */
export interface TermProfile {
  counts: Map<string, number>;
  /** stem → the person's word for it (the first one seen). */
  words: Map<string, string>;
}

export const emptyProfile = (): TermProfile => ({ counts: new Map(), words: new Map() });

/** Adds the text's words to the profile: one pass over the text, constant work per word. */
export function addToProfile(profile: TermProfile, text: string): TermProfile {
  for (const word of wordsOf(text)) {
    const term = stem(word);
    profile.counts.set(term, (profile.counts.get(term) ?? 0) + 1);
    if (!profile.words.has(term)) profile.words.set(term, word);
  }
  return profile;
}

/** The profile of the texts. */
export function profileOf(texts: Iterable<string>): TermProfile {
  const profile = emptyProfile();
  for (const text of texts) addToProfile(profile, text);
  return profile;
}
