import type { Query } from '@tanstack/react-query';
import { ApiError } from '../api/client';

/** Longest wait between two tries while Mosaic stays away. */
const MAX_WAIT_MS = 30_000;
const FIRST_WAIT_MS = 2_000;

/** A failure that another try may fix: no answer at all, or the server failing (5xx). */
export function isPassingFailure(error: unknown): boolean {
  return error instanceof ApiError && (error.offline || error.status >= 500);
}

// Per query: its update counts at its last success, to count the failures since.
const lastSuccess = new WeakMap<object, { data: number; errors: number }>();

/**
 * The `refetchInterval` of every query: while its last fetch failed for want of Mosaic, it asks
 * again after 2 s, 4 s, 8 s … up to 30 s, so a list comes back by itself once the server does
 * (the data shown meanwhile stays: TanStack keeps it beside the error). Nothing otherwise.
 */
export function retryWhileUnreachable(query: Pick<Query, 'state'>): number | false {
  const { status, error, dataUpdateCount, errorUpdateCount } = query.state;
  if (status !== 'error' || !isPassingFailure(error)) return false;
  let mark = lastSuccess.get(query);
  if (!mark || mark.data !== dataUpdateCount) {
    mark = { data: dataUpdateCount, errors: errorUpdateCount - 1 };
    lastSuccess.set(query, mark);
  }
  const failures = Math.max(1, errorUpdateCount - mark.errors);
  return Math.min(MAX_WAIT_MS, FIRST_WAIT_MS * 2 ** (failures - 1));
}
