import { invalidInput } from '../errors.js';

const EMAIL_SHAPE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

// Characters that show nothing, or steer how text shows, let two addresses look the same:
// controls (Cc), format characters (Cf: zero-width spaces and joiners, soft hyphens, bidi
// marks, BOM), other default-ignorable code points (Hangul fillers, variation selectors),
// line and paragraph separators, private-use and unassigned code points.
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Default_Ignorable_Code_Point}\p{Zl}\p{Zp}\p{Co}\p{Cn}]/u;

/**
 * The one form an email is kept and compared in: Unicode NFKC (full-width letters become
 * ASCII, a letter and its combining accent become one character), trimmed, lower-cased. An
 * address holding an invisible or control character is refused, never silently cleaned: it
 * would otherwise be a look-alike of another account.
 */
export function normalizeEmail(raw: string): string {
  const email = raw.normalize('NFKC').trim().toLowerCase().normalize('NFKC');
  if (INVISIBLE.test(email)) throw invalidInput('email holds an invisible or control character');
  return email;
}

/** A normalized email that also has an address's shape (for creating or changing an account). */
export function requireValidEmail(raw: string): string {
  const email = normalizeEmail(raw);
  if (email.length > 254 || !EMAIL_SHAPE.test(email)) throw invalidInput('email is not a valid email address');
  return email;
}
