let cachedMs = Number.NaN;
let cachedIso = '';

/**
 * "Now" as the one timestamp representation both backends store. Computed in the app, never
 * by SQL. Every request asks (the session check), and formatting a Date costs ~1 µs: the text
 * is reused while the clock stays in the same millisecond.
 */
export function nowIso(now?: Date): string {
  if (now) return now.toISOString();
  const ms = Date.now();
  if (ms !== cachedMs) {
    cachedMs = ms;
    cachedIso = new Date(ms).toISOString();
  }
  return cachedIso;
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
