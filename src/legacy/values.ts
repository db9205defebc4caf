/**
 * The predecessor's values as Mosaic keeps them. Each reader returns the value, or null with a
 * reason the caller reports: damage is never hidden.
 */

// `YYYY-MM-DD HH:MM:SS` (SQLite's default), `YYYY-MM-DDTHH:MM:SS.ffffff` (Python's isoformat,
// no zone), PostgreSQL's `timestamp without time zone` as text (a space, micro-seconds), and
// the same with a `Z` or an offset (`status_at`). All without a zone are UTC.
const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

export type Parsed<T> = { value: T; problem?: undefined } | { value: null; problem: string };

/** A legacy time as Mosaic's ISO-8601 UTC with milliseconds. */
export function legacyTime(raw: unknown, column: string): Parsed<string> {
  if (raw === null || raw === undefined || raw === '') return { value: null, problem: `${column} is empty` };
  const match = TIMESTAMP.exec(String(raw).trim());
  if (!match) return { value: null, problem: `${column} is not a time (${excerpt(String(raw))})` };
  const [, y, mo, d, h, mi, s, fraction, zone] = match;
  const ms = fraction ? Math.floor(Number(`0.${fraction}`) * 1000) : 0;
  let time = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s ?? 0), ms);
  if (zone && zone.toUpperCase() !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    time -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || 0)) * 60_000;
  }
  const date = new Date(time);
  // Date.UTC rolls 2024-02-31 over into March: such a value is damage, not a date.
  if (Number.isNaN(time) || date.getUTCDate() !== Number(d) || Number(mo) > 12 || Number(h) > 23 || Number(mi) > 59 || Number(s ?? 0) > 59) {
    return { value: null, problem: `${column} is not a valid time (${excerpt(String(raw))})` };
  }
  return { value: date.toISOString() };
}

/** A JSON column that should hold an object. */
export function jsonObject(raw: unknown, column: string): Parsed<Record<string, unknown>> {
  if (raw === null || raw === undefined) return { value: null, problem: `${column} is empty` };
  let parsed: unknown;
  try {
    parsed = JSON.parse(String(raw));
  } catch {
    return { value: null, problem: `${column} is not valid JSON (${excerpt(String(raw))})` };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return { value: null, problem: `${column} is JSON but not an object (${excerpt(String(raw))})` };
  }
  return { value: parsed as Record<string, unknown> };
}

/** A JSON column that should hold a list of strings (skills, values); other items are reported. */
export function jsonStrings(raw: unknown, column: string): Parsed<string[]> {
  if (raw === null || raw === undefined || raw === '') return { value: [] };
  let parsed: unknown;
  try {
    parsed = JSON.parse(String(raw));
  } catch {
    return { value: null, problem: `${column} is not valid JSON (${excerpt(String(raw))})` };
  }
  if (!Array.isArray(parsed)) return { value: null, problem: `${column} is JSON but not a list (${excerpt(String(raw))})` };
  const strings = parsed.filter((item): item is string => typeof item === 'string');
  if (strings.length !== parsed.length) return { value: null, problem: `${column} holds items that are not text (${excerpt(String(raw))})` };
  return { value: strings };
}

/** A metric 0–100 as the predecessor wrote it; anything else is not kept. */
export function metricValue(raw: unknown): number | null {
  return typeof raw === 'number' && Number.isFinite(raw) && raw >= 0 && raw <= 100 ? Math.round(raw) : null;
}

export function excerpt(text: string, max = 60): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

export function textOrNull(raw: unknown): string | null {
  return typeof raw === 'string' ? raw : raw === null || raw === undefined ? null : String(raw);
}
