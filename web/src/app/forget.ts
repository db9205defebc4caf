import type { QueryClient } from '@tanstack/react-query';
import { setSignedInUser } from '../api/client';
import { storedEditCount, unsentEditsKey } from '../autosave/queue';
import { discardChatDraft } from '../chat/draft';

// What this browser keeps of a person, and how it forgets it (issue 27: a shared computer is
// left clean). Kept: the query cache and its persisted copy in localStorage (CACHE_KEY), the
// autosave queue's unsent edits (one key per account), and nothing of theirs in the service
// worker's caches (it keeps the app's own files only; any API answer found there is deleted
// all the same). Forgotten on log out, when the session ends, and when the account is deleted.

/** Where the persisted query cache lives (main.tsx). */
export const CACHE_KEY = 'mosaic:cache';
export const ME_KEY = ['me'] as const;

/** Answers this account typed here that the server has not acknowledged. */
export function unsentEditCount(userId: number): number {
  try {
    return storedEditCount(window.localStorage, unsentEditsKey(userId));
  } catch {
    return 0;
  }
}

export function discardUnsentEdits(userId: number): void {
  try {
    window.localStorage.removeItem(unsentEditsKey(userId));
  } catch {
    // Storage disabled: nothing was kept.
  }
}

/** Deletes every cached API answer from the service worker's caches (it should hold none). */
async function removeApiCaches(): Promise<void> {
  if (!('caches' in window)) return;
  try {
    for (const name of await window.caches.keys()) {
      const cache = await window.caches.open(name);
      for (const request of await cache.keys()) {
        if (new URL(request.url).pathname.startsWith('/api/')) await cache.delete(request);
      }
    }
  } catch {
    // Caches unavailable (private mode): nothing was kept there.
  }
}

/**
 * Forgets everything of the signed-in person this page and this browser hold, at once and
 * without the server: every cached answer (only the anonymous flow text is kept), its persisted
 * copy, and the person's unsent edits unless they chose to keep them (then they stay under the
 * account's key, and only a queue of that same account, after it logs in again, sends them).
 */
export function forgetPerson(client: QueryClient, userId: number | null, options: { keepUnsent: boolean }): void {
  setSignedInUser(null);
  void client.cancelQueries();
  client.removeQueries({ predicate: (query) => query.queryKey[0] !== ME_KEY[0] && query.queryKey[0] !== 'flow' });
  client.setQueryData(ME_KEY, null);
  try {
    // The persister writes the emptied cache again within a second; removing it now means no
    // copy of the person's answers survives even a tab closed this very moment.
    window.localStorage.removeItem(CACHE_KEY);
  } catch {
    // Storage disabled: nothing was persisted.
  }
  if (userId !== null && !options.keepUnsent) discardUnsentEdits(userId);
  // A half-written chat message is not among the unsent edits the person is asked about
  // keeping: it goes whatever they choose.
  if (userId !== null) discardChatDraft(userId);
  void removeApiCaches();
}
