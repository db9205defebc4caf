import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState, useSyncExternalStore } from 'react';
import { ApiError, signedInUserId } from '../api/client';
import { workbookApi } from './data';
import type { WorkbookState } from '../api/types';
import { workbookKeys } from './keys';
import { AutosaveQueue, unsentEditsKey, type SaveOutcome, type SaveRequest } from '../autosave/queue';

export const WORKBOOK_KEY = workbookKeys.live();

function isWorkbookState(value: unknown): value is WorkbookState {
  return typeof value === 'object' && value !== null && 'revision' in value && 'answers' in value;
}

/** One save through the API, as the queue understands the result. */
export async function saveThroughApi(request: SaveRequest): Promise<SaveOutcome> {
  try {
    return { kind: 'saved', state: await workbookApi.save(request) };
  } catch (error) {
    if (!(error instanceof ApiError)) return { kind: 'failed' };
    if (error.offline) return { kind: 'offline' };
    if (error.status === 409 && error.code === 'revision_conflict' && isWorkbookState(error.details.current)) {
      return { kind: 'conflict', current: error.details.current };
    }
    if (error.status === 401) return { kind: 'unauthenticated' };
    if (error.status >= 500 || error.status === 429) return { kind: 'failed' };
    return { kind: 'rejected', message: error.message };
  }
}

/**
 * The autosave queue of one workbook run for one person: created once per mount, sending while
 * the screen is open, flushing when the connection comes back or the page is hidden.
 */
export function useAutosave(userId: number, initial: WorkbookState) {
  const client = useQueryClient();
  const [queue] = useState(
    () =>
      new AutosaveQueue(initial, {
        storage: window.localStorage,
        storageKey: unsentEditsKey(userId),
        // Checked before every send: these edits go only to the account they were typed in.
        ownerSignedIn: () => signedInUserId() === userId,
        send: async (request) => {
          const outcome = await saveThroughApi(request);
          if (outcome.kind === 'saved') client.setQueryData(WORKBOOK_KEY, outcome.state);
          if (outcome.kind === 'conflict') client.setQueryData(WORKBOOK_KEY, outcome.current);
          return outcome;
        },
      }),
  );
  useEffect(() => {
    queue.start();
    const online = () => void queue.online();
    const hidden = () => {
      if (document.visibilityState === 'hidden') void queue.flush();
    };
    window.addEventListener('online', online);
    document.addEventListener('visibilitychange', hidden);
    return () => {
      window.removeEventListener('online', online);
      document.removeEventListener('visibilitychange', hidden);
      queue.close();
    };
  }, [queue]);
  const snapshot = useSyncExternalStore(
    (listener) => queue.subscribe(listener),
    () => queue.snapshot(),
  );
  return { queue, snapshot };
}
