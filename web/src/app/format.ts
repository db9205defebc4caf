import { actionConnectionProblem } from './connection';

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

export function formatDate(iso: string): string {
  return new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/**
 * The API error's message, or a plain fallback for anything else. A request that got no answer
 * says which side is away (this browser, or Mosaic), never a blanket "check your connection".
 */
export function messageOf(error: unknown): string {
  return actionConnectionProblem(error) ?? (error instanceof Error && error.message ? error.message : 'Something went wrong.');
}

/** `1 answer`, `2 answers`, `0 answers`: the count with the word in its right form. */
export function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}
