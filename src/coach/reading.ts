/**
 * What the offline coach reads in a message: its kind (a greeting, thanks, a question about
 * Mosaic, distress, something off-topic, or the substance of a career conversation), the
 * themes it touches and the person's own phrases worth reflecting. Every pattern is a plain
 * alternation without nested quantifiers, run over at most READ_MAX_CHARS characters, so the
 * work is linear in that bound whatever the message holds.
 */

/** Only the start of a long message is read: enough for its gist, bounded for the CPU. */
export const READ_MAX_CHARS = 2_000;

export type MessageKind = 'crisis' | 'distress' | 'thanks' | 'greeting' | 'about-mosaic' | 'off-topic' | 'substance';

export type Theme =
  | 'exhaustion'
  | 'money'
  | 'confidence'
  | 'skills'
  | 'job-search'
  | 'change'
  | 'workplace'
  | 'time'
  | 'direction';

// Danger to life comes first and decides the reply alone.
const CRISIS =
  /\b(suicid\w*|kill myself|end my life|end it all|take my (own )?life|don'?t want to (live|be alive|be here any ?more)|self[- ]harm\w*|hurt(ing)? myself|no reason to live|better off dead)\b/iu;
const DISTRESS =
  /\b(can'?t cope|cannot cope|falling apart|breaking down|panic attacks?|hopeless|depress(ed|ion)|anxiety|anxious|overwhelmed|can'?t sleep|crying|burn(ed|t)[- ]?out|desperate|miserable)\b/iu;
const THANKS = /^\W*(thanks|thank you|thank u|thx|ty|cheers|much appreciated|that helps|that helped|great,? thanks)\b/iu;
const GREETING = /^\W*(hi|hello|hey|hiya|howdy|good (morning|afternoon|evening)|greetings|yo)\b/iu;
const ABOUT_MOSAIC =
  /\b(what is mosaic|what's mosaic|how does (this|mosaic|it) work|who are you|what are you|are you (an? )?(bot|ai|robot|human|real person|person|chatgpt)|what can you do|how do i use (this|mosaic)|what is ps101|what's ps101|is this (private|confidential)|who (reads|sees) (this|my))\b/iu;
const OFF_TOPIC =
  /\b(weather|recipe|cook(ing)? dinner|football|soccer|basketball|score of the|tell me a joke|a joke|movie|film recommendation|capital of|bitcoin|crypto|lottery|horoscope|write (me )?a poem|song lyrics|video game)\b/iu;
const CAREER_WORDS =
  /\b(job|work|career|boss|manager|cv|résumé|resume|interview|salary|promotion|role|company|colleague|team|skills?|hire|hired|quit|retail|office|profession|industry|employ\w*|apply|application|study|course|degree)\b/iu;

const THEMES: [Theme, RegExp][] = [
  ['exhaustion', /\b(tired|exhausted|drained|burn(ed|t)?[- ]?out|no energy|worn out|stress(ed|ful)?|long hours|weekend shifts?|night shifts?)\b/iu],
  ['money', /\b(money|salary|pay|paid|afford|mortgage|rent|bills|income|savings|debt|pay cut)\b/iu],
  ['confidence', /\b(too old|not good enough|imposter|impostor|confidence|confident|scared|afraid|fear|doubt|failure|fail|not smart|stupid|worthless)\b/iu],
  ['skills', /\b(skills?|experience|qualifi\w*|degree|certificat\w*|course|bootcamp|training|portfolio|learn(ing)?)\b/iu],
  ['job-search', /\b(appl(y|ied|ying|ications?)|interviews?|rejected|rejections?|recruiters?|cv|résumé|resume|cover letter|job ads?|openings?|ghosted|hiring)\b/iu],
  ['change', /\b(switch|change careers?|career change|move into|moving into|transition|pivot|retrain|leave (my|the) (job|company)|quit)\b/iu],
  ['workplace', /\b(boss|manager|colleagues?|coworkers?|team|promotion|passed over|toxic|office politics|micromanag\w*)\b/iu],
  ['time', /\b(no time|busy|kids|children|family|childcare|caring for|full[- ]time|part[- ]time|schedule)\b/iu],
  ['direction', /\b(don'?t know what|no idea what|lost|confused|direction|stuck|purpose|passion|meaning|what to do with my life)\b/iu],
];

// "I want to …", "I'm worried about …": the person's own words for a goal or a worry, up to
// the end of the clause. The capture is a bounded character class, so it cannot backtrack far.
const GOAL = /\b(?:i want to|i'd like to|i would like to|i wish i could|i hope to|my goal is to|i'm trying to|i am trying to|i'm thinking (?:about|of)|i am thinking (?:about|of)|i'm considering|i am considering|i dream of)\s+([^.!?\n;:,]{3,90})/iu;
const WORRY = /\b(?:i'm worried|i am worried|i'm afraid|i am afraid|i fear|i worry|i'm scared|i am scared)\s+((?:that |about |of )?[^.!?\n;:,]{3,90})/iu;
const FEELING = /\bi(?: am|'m|’m)? (?:feel|feeling)\s+([^.!?\n;:,]{2,60})/iu;

const STOPWORDS = new Set(
  'about above after again against because before being below between could doing during every further having itself myself other ourselves really should their themselves there these thing things think those through under until where which while would yours yourself just still something anything everything someone people always never maybe actually pretty right going wanted wants feels feeling little years months weeks today really'.split(
    ' ',
  ),
);

export interface Reading {
  kind: MessageKind;
  themes: Theme[];
  /** The person's goal in their words, turned to "you" ("move into UX research"). */
  goal: string | null;
  worry: string | null;
  feeling: string | null;
  /** Up to three distinct content words, most repeated first, for a message with no clearer hook. */
  keywords: string[];
  isQuestion: boolean;
  wordCount: number;
}

const SWAPS: Record<string, string> = {
  i: 'you',
  me: 'you',
  my: 'your',
  mine: 'yours',
  myself: 'yourself',
  am: 'are',
  "i'm": "you're",
  'i’m': 'you’re',
  "i've": "you've",
  "i'll": "you'll",
  "i'd": "you'd",
  we: 'you',
  our: 'your',
  us: 'you',
};

/** The person's phrase told back to them: first person becomes second, trimmed. */
export function toSecondPerson(phrase: string): string {
  return phrase
    .trim()
    .split(/\s+/)
    .map((word) => SWAPS[word.toLowerCase()] ?? word)
    .join(' ')
    .replace(/[\s"“”']+$/u, '');
}

function capture(pattern: RegExp, text: string): string | null {
  const found = pattern.exec(text)?.[1];
  // "move into UX research but I am worried…": the clause ends at its first turn.
  const clause = found?.split(/\s(?:but|because|although|though|yet|so|while)\s/iu)[0];
  return clause ? toSecondPerson(clause) : null;
}

function keywordsOf(text: string): string[] {
  const counts = new Map<string, number>();
  for (const word of text.toLowerCase().match(/\p{L}[\p{L}'’-]{4,}/gu) ?? []) {
    if (STOPWORDS.has(word)) continue;
    counts.set(word, (counts.get(word) ?? 0) + 1);
  }
  // Map order is first appearance; a stable sort keeps it among equals.
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 3)
    .map(([word]) => word);
}

function kindOf(text: string, wordCount: number): MessageKind {
  if (CRISIS.test(text)) return 'crisis';
  if (DISTRESS.test(text)) return 'distress';
  // Thanks and greetings are short; "Hi, I was fired today and…" is substance.
  if (wordCount <= 12 && THANKS.test(text)) return 'thanks';
  if (wordCount <= 8 && GREETING.test(text)) return 'greeting';
  if (ABOUT_MOSAIC.test(text)) return 'about-mosaic';
  if (OFF_TOPIC.test(text) && !CAREER_WORDS.test(text)) return 'off-topic';
  return 'substance';
}

export function readMessage(message: string): Reading {
  const text = message.slice(0, READ_MAX_CHARS).replace(/[’]/g, "'");
  const wordCount = (text.match(/\S+/g) ?? []).length;
  return {
    kind: kindOf(text, wordCount),
    themes: THEMES.filter(([, pattern]) => pattern.test(text)).map(([theme]) => theme),
    goal: capture(GOAL, text),
    worry: capture(WORRY, text),
    feeling: capture(FEELING, text),
    keywords: keywordsOf(text),
    isQuestion: /\?\s*$/.test(text.trim()) || /^\s*(how|what|should|can|could|would|is|are|do|does|why|where|when)\b/iu.test(text),
    wordCount,
  };
}
