import { useSyncExternalStore } from 'react';
import { ApiError } from '../api/client';

/**
 * Why a request failed to get an answer, in the person's terms. "Offline" is said only when the
 * browser itself reports no network; a request that failed while the browser is online means
 * Mosaic (or the way to it) is down, which the person cannot fix by checking their Wi-Fi.
 */
export type Reachability = 'reachable' | 'browser-offline' | 'mosaic-unreachable';

/** Codes of answers that mean the server is there but cannot serve right now. */
const UNAVAILABLE_CODES = new Set(['database_unavailable', 'overloaded']);

/** What a failed request says about the connection; 'reachable' when the failure was an answer. */
export function reachabilityOf(error: unknown): Reachability {
  if (!(error instanceof ApiError)) return 'reachable';
  if (error.offline) return browserOnline() ? 'mosaic-unreachable' : 'browser-offline';
  if (error.status === 502 || error.status === 504 || (error.status === 503 && UNAVAILABLE_CODES.has(error.code))) {
    return 'mosaic-unreachable';
  }
  return 'reachable';
}

/** One sentence for a failure that never reached Mosaic, or null for an answer Mosaic gave. */
export function connectionProblem(error: unknown): string | null {
  switch (reachabilityOf(error)) {
    case 'browser-offline':
      return 'This browser is offline. What you see is what was last loaded; it updates when the connection is back.';
    case 'mosaic-unreachable':
      return "Mosaic can't be reached right now. What you see is what was last loaded; it updates by itself when Mosaic is back.";
    default:
      return null;
  }
}

function browserOnline(): boolean {
  return typeof navigator === 'undefined' || navigator.onLine !== false;
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener('online', onChange);
  window.addEventListener('offline', onChange);
  return () => {
    window.removeEventListener('online', onChange);
    window.removeEventListener('offline', onChange);
  };
}

/** Whether the browser reports a network, re-rendering when that changes. */
export function useBrowserOnline(): boolean {
  return useSyncExternalStore(subscribe, browserOnline, () => true);
}

/** For a failed action (a form, a button): what happened and what to do, or null for an answer Mosaic gave. */
export function actionConnectionProblem(error: unknown): string | null {
  switch (reachabilityOf(error)) {
    case 'browser-offline':
      return 'This browser is offline: connect to the internet and try again.';
    case 'mosaic-unreachable':
      return "Mosaic can't be reached right now. Try again in a moment.";
    default:
      return null;
  }
}
