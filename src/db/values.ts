let cachedSecond = Number.NaN;
let secondText = '';
const MILLISECONDS = Array.from({ length: 1000 }, (_, ms) => String(ms).padStart(3, '0'));

/**
 * "Now" as the one timestamp representation both backends store (`toISOString`'s). Computed
 * in the app, never by SQL. Every authenticated request asks (the session check), and V8
 * formats a Date through printf: ~7,000 instructions (callgrind). The text up to the second is
 * formatted once a second; the milliseconds are appended from a table.
 */
export function nowIso(now?: Date): string {
  if (now) return now.toISOString();
  const ms = Date.now();
  const second = Math.floor(ms / 1000);
  if (second !== cachedSecond) {
    cachedSecond = second;
    secondText = new Date(second * 1000).toISOString().slice(0, 19);
  }
  return `${secondText}.${MILLISECONDS[ms - second * 1000]}Z`;
}

export function addDays(iso: string, days: number): string {
  return new Date(Date.parse(iso) + days * 86_400_000).toISOString();
}

export function addSeconds(iso: string, seconds: number): string {
  return new Date(Date.parse(iso) + seconds * 1000).toISOString();
}

/** JSON columns arrive as text on both backends (the pg json parser is switched off). */
export function readJson<T>(value: unknown): T {
  if (typeof value !== 'string') throw new TypeError('expected JSON text from the database');
  return JSON.parse(value) as T;
}

/** PostgreSQL returns booleans, SQLite 0/1. */
export function readBool(value: unknown): boolean {
  return value === true || value === 1 || value === 1n;
}
