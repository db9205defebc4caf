import { useIsRestoring, useQuery, useQueryClient, type QueryClient, type UseQueryResult } from '@tanstack/react-query';
import { useEffect, useSyncExternalStore } from 'react';
import {
  ApiError,
  LOGOUT_PENDING_KEY,
  api,
  finishPendingLogout,
  logoutPending,
  markLogoutPending,
  onUnauthenticated,
  setSignedInUser,
} from '../api/client';
import { API } from '../api/routes';
import type { User } from '../api/types';
import { ME_KEY, forgetPerson, unsentEditCount } from './forget';

export { ME_KEY };

/** The session's query keys (who is signed in). */
export const sessionKeys = { me: () => ME_KEY };

/** A value React components can subscribe to. */
function createStore<T>(initial: T) {
  let value = initial;
  const listeners = new Set<() => void>();
  return {
    get: () => value,
    set(next: T) {
      if (Object.is(next, value)) return;
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

/**
 * Whether this page has heard who is signed in, from the server (or found it unreachable).
 * Until then the person restored from the persisted cache is not shown: their session may have
 * ended while the page was closed, and nothing of theirs may show after that.
 */
const heard = createStore(false);

/** The account whose session ended on this page (a 401), for the banner and its choice. */
export interface EndedSession {
  userId: number;
  /** Answers typed and not sent when it ended. */
  unsent: number;
}
export const sessionEnded = createStore<EndedSession | null>(null);

const currentUser = (client: QueryClient) => client.getQueryData<User | null>(ME_KEY) ?? null;

/**
 * The account signed in on this page changed without anyone here asking: the previous person's
 * cached data is forgotten at once. Their unsent edits stay (under their own key, never sent
 * into another account) until they choose, on the banner, to keep or discard them.
 */
function identityChanged(client: QueryClient, previous: User | null, now: User | null): void {
  if (previous !== null && previous.id !== now?.id) {
    forgetPerson(client, previous.id, { keepUnsent: true });
    if (now === null) sessionEnded.set({ userId: previous.id, unsent: unsentEditCount(previous.id) });
  }
  setSignedInUser(now?.id ?? null);
}

/** The signed-in person (a guest too), null when there is no session. */
export function useMe(): UseQueryResult<User | null> {
  const client = useQueryClient();
  const query = useQuery({
    queryKey: ME_KEY,
    queryFn: async (): Promise<User | null> => {
      const previous = currentUser(client);
      try {
        // Logged out on this device and not yet on the server: the cookie is never used.
        if (logoutPending() && !(await finishPendingLogout())) {
          identityChanged(client, previous, null);
          return null;
        }
        const user = (await api.me()).user;
        identityChanged(client, previous, user);
        return user;
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) {
          identityChanged(client, previous, null);
          return null;
        }
        // Offline (or the server failing): the last known person stays, with their kept work.
        setSignedInUser(previous?.id ?? null);
        throw error;
      } finally {
        heard.set(true);
      }
    },
    staleTime: 60_000,
    retry: (count, error) => !(error instanceof ApiError && error.status === 401) && count < 2,
  });
  const known = useSyncExternalStore(heard.subscribe, heard.get);
  // Asked once the persisted cache is restored, so the answer is compared with the person it holds.
  const restoring = useIsRestoring();
  const refetch = query.refetch;
  useEffect(() => {
    if (!known && !restoring) void refetch({ cancelRefetch: false });
  }, [known, restoring, refetch]);
  return known ? query : ({ ...query, data: undefined, isPending: true, status: 'pending' } as UseQueryResult<User | null>);
}

/** After logging in, registering or out: the person changed, so every cached answer is dropped. */
export function useSessionChanged() {
  const client = useQueryClient();
  return (user: User | null) => {
    sessionEnded.set(null);
    heard.set(true);
    setSignedInUser(user?.id ?? null);
    client.removeQueries({ predicate: (query) => query.queryKey[0] !== ME_KEY[0] && query.queryKey[0] !== 'flow' });
    client.setQueryData(ME_KEY, user);
  };
}

/**
 * Logs out of this browser at once, connected or not: the person is forgotten here first, then
 * the session is ended on the server, now or as soon as it can be reached (see client.ts).
 */
export function useLogOutHere() {
  const client = useQueryClient();
  const sessionChanged = useSessionChanged();
  return (options: { keepUnsent: boolean }) => {
    const user = currentUser(client);
    markLogoutPending();
    forgetPerson(client, user?.id ?? null, options);
    sessionChanged(null);
    void finishPendingLogout();
  };
}

// A 401 from the login or who-am-I routes is not a session ending: it is an answer.
const ANSWERS_NOT_ENDINGS = new Set<string>([API.login.path, API.me.path, API.deleteAccount.path, API.changePassword.path, API.changeEmail.path]);

/**
 * Ends the page's session when a request is refused with 401 (expired, logged out elsewhere,
 * another account now signed in on this browser), or when another tab of this browser logs out.
 */
export function watchSessionEnd(client: QueryClient): () => void {
  const end = () => identityChanged(client, currentUser(client), null);
  const stop = onUnauthenticated((route) => {
    if (!ANSWERS_NOT_ENDINGS.has(route.path)) end();
  });
  const storage = (event: StorageEvent) => {
    if (event.key === null || (event.key === LOGOUT_PENDING_KEY && event.newValue !== null)) end();
  };
  window.addEventListener('storage', storage);
  return () => {
    stop();
    window.removeEventListener('storage', storage);
  };
}

export function useSessionEnded(): EndedSession | null {
  return useSyncExternalStore(sessionEnded.subscribe, sessionEnded.get);
}

/** Retries a pending log out when the connection returns, and every few seconds meanwhile. */
export function finishLogoutWhenOnline(): () => void {
  const retry = () => {
    if (logoutPending()) void finishPendingLogout();
  };
  retry();
  window.addEventListener('online', retry);
  const timer = window.setInterval(retry, 5_000);
  return () => {
    window.removeEventListener('online', retry);
    window.clearInterval(timer);
  };
}
