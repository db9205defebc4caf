// Which numbers in a résumé are quantified results: amounts of money, percentages, multipliers,
// and numbers of people, things or units ("a team of 12 engineers", "3 products", "40 hours").
// Labels ("Year 9", "Grade 5", "Room 101"), dates, phone numbers and bare years are not.
// Every pattern below is a single left-to-right scan with bounded repetition: linear time.

const MONTH = '(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)';

/** Numbers that only name or date something; blanked before quantities are looked for. */
const NOT_QUANTITIES = [
  // Phone numbers: optional +country and (area), then groups of digits; at least 7 digits in all (checked below).
  /(?:\+\d{1,3}[ .-]?)?(?:\(\d{1,5}\)[ .-]?)?\d{2,5}(?:[ .-]\d{2,5}){1,4}/g,
  // Dates: 12/03/2021, 2021-03-12, 3.12.21.
  /\b\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}\b/g,
  // A day or year beside a month: "March 2019", "12 March", "Mar 3, 2020".
  new RegExp(`\\b${MONTH}\\.?[ \\t]+\\d{1,4}(?:,?[ \\t]+\\d{4})?\\b|\\b\\d{1,2}(?:st|nd|rd|th)?[ \\t]+${MONTH}\\b`, 'gi'),
  // A number that is a label: "Year 9", "Grade 5", "Key Stage 2", "Room 101", "No. 3", "#1", "v2".
  /\b(?:year|yr|grade|level|step|phase|stage|room|floor|page|no\.?|number|version|class|band|tier|form|unit|week|day|module|chapter|section|lot|suite|apt|route|flight|ward)[ \t]*\d+[a-z]?\b|#[ \t]*\d+|\bv\d+(?:\.\d+)*\b/gi,
  // Ordinals ("1st", "3rd"): a rank, not an amount.
  /\b\d+(?:st|nd|rd|th)\b/gi,
];

const NUMBER = String.raw`\d[\d,]*(?:\.\d+)?`;
const SCALE = String.raw`(?:k|m|mm|bn|b|thousand|million|billion)`;
// Words counted after a number: units, and nouns for people or things that are not plural in "s".
const UNITS =
  'hours?|hrs?|minutes?|mins?|seconds?|days?|weeks?|months?|years?|km|kg|kilos?|miles?|tonnes?|tons?|litres?|liters?|gb|tb|mb|' +
  'staff|people|personnel|children|men|women|stock|inventory|feet|ft|sq';
const COUNTED = new RegExp(
  [
    // Money: "$2M", "€50,000", "£1.2 million", "30k USD", "5,000 dollars".
    String.raw`[$€£¥₹][ \t]?${NUMBER}(?:[ \t]?${SCALE}\b)?`,
    String.raw`\b${NUMBER}[ \t]?${SCALE}?[ \t]?(?:usd|eur|gbp|dollars|euros|pounds)\b`,
    // Percentages and points: "30%", "12 percent", "5 percentage points".
    String.raw`\b${NUMBER}[ \t]?(?:%|percent\b|per[ \t]cent\b|percentage[ \t]points\b|pp\b)`,
    // Multipliers: "2x", "3×".
    String.raw`\b\d+(?:\.\d+)?[ \t]?(?:x\b|×)`,
    // A number (with a scale) followed, within two words, by a unit or a plural noun: "12 engineers", "40 new staff", "5 million users".
    String.raw`\b${NUMBER}\+?(?:[ \t]?${SCALE}\b)?(?:[ \t]+[a-z][a-z-]*){0,2}?[ \t]+(?:(?:${UNITS})\b|[a-z][a-z-]*[^s\W]s\b)`,
  ].join('|'),
  'gi',
);

// Words ending in "s" that follow a number without being a count of something.
const NOT_NOUNS = /(?:\b(?:is|was|has|this|thus|plus|its|as|us|yes|always|across|perhaps|unless|towards|besides|whereas)$)/i;

const digitCount = (text: string) => text.replace(/\D/g, '').length;

function blankNonQuantities(text: string): string {
  let result = text;
  for (const pattern of NOT_QUANTITIES) {
    result = result.replace(pattern, (match) => (pattern === NOT_QUANTITIES[0] && digitCount(match) < 7 ? match : ' '.repeat(match.length)));
  }
  return result;
}

const YEAR_ONLY = /^(?:19|20)\d\d$/;

/** The quantified results in `text`, as written, in order. */
export function quantities(text: string): string[] {
  const found: string[] = [];
  for (const match of blankNonQuantities(text).matchAll(COUNTED)) {
    const value = match[0].replace(/\s+/g, ' ').trim();
    const leadingNumber = /^\d[\d,]*/.exec(value)?.[0] ?? '';
    // "in 2019 the team…": a year before words is a date, not a count.
    if (YEAR_ONLY.test(leadingNumber) && !/[%×x$€£]|percent|usd|eur|gbp|dollars|euros|pounds/i.test(value)) continue;
    if (NOT_NOUNS.test(value)) continue;
    found.push(value);
  }
  return found;
}
