import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useSyncExternalStore } from 'react';
import { ApiError, api, onUnauthenticated } from '../api/client';
import { API } from '../api/routes';
import type { User } from '../api/types';

export const ME_KEY = ['me'] as const;

/** The signed-in person (a guest too), null when there is no session. */
export function useMe() {
  return useQuery({
    queryKey: ME_KEY,
    queryFn: async (): Promise<User | null> => {
      try {
        return (await api.me()).user;
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) return null;
        throw error;
      }
    },
    staleTime: 60_000,
    retry: (count, error) => !(error instanceof ApiError && error.status === 401) && count < 2,
  });
}

/** After logging in, registering or out: the person changed, so every cached answer is dropped. */
export function useSessionChanged() {
  const client = useQueryClient();
  return (user: User | null) => {
    sessionEnded.set(false);
    client.removeQueries({ predicate: (query) => query.queryKey[0] !== ME_KEY[0] });
    client.setQueryData(ME_KEY, user);
  };
}

/**
 * Whether a request was refused with 401 while the page believed someone was signed in: the
 * session ended (expired, logged out elsewhere). The header then shows a way back in.
 */
function createFlag() {
  let value = false;
  const listeners = new Set<() => void>();
  return {
    get: () => value,
    set(next: boolean) {
      if (next === value) return;
      value = next;
      for (const listener of listeners) listener();
    },
    subscribe(listener: () => void) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
  };
}

export const sessionEnded = createFlag();

// A 401 from the login or who-am-I routes is not a session ending: it is an answer.
const ANSWERS_NOT_ENDINGS = new Set<string>([API.login.path, API.me.path, API.deleteAccount.path, API.changePassword.path, API.changeEmail.path]);

export function watchSessionEnd(hadSession: () => boolean): () => void {
  return onUnauthenticated((route) => {
    if (!ANSWERS_NOT_ENDINGS.has(route.path) && hadSession()) sessionEnded.set(true);
  });
}

export function useSessionEnded(): boolean {
  return useSyncExternalStore(sessionEnded.subscribe, sessionEnded.get);
}
