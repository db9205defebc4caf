import { createSyncStoragePersister } from '@tanstack/query-sync-storage-persister';
import { QueryClient } from '@tanstack/react-query';
import { PersistQueryClientProvider } from '@tanstack/react-query-persist-client';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
// From react-router/dom: it can flush a navigation synchronously (see AccountScreen).
import { RouterProvider } from 'react-router/dom';
import { ApiError } from './api/client';
import { CACHE_KEY } from './app/forget';
import { retryWhileUnreachable } from './app/recovery';
import { router } from './app/router';
import { sessionKeys } from './app/session';
import { workbookKeys } from './workbook/keys';
import './styles.css';

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // 4xx answers are final; only a lost connection or a 5xx is worth another try.
      retry: (count, error) => count < 2 && !(error instanceof ApiError && error.status >= 400 && error.status < 500),
      refetchOnWindowFocus: false,
      // Lists keep what they showed while Mosaic is away and come back by themselves when it
      // returns: asked again with backoff while failing, and at once when the browser is back
      // online (TanStack's reconnect refetch; the 'online' event drives its onlineManager).
      refetchInterval: retryWhileUnreachable,
      refetchOnReconnect: true,
      // Ask even when the browser says it is offline: the answer (or the failure) decides, and
      // the last known data stays on screen meanwhile.
      networkMode: 'offlineFirst',
    },
  },
});

// Back online: every failed query asks at once, whatever its staleness (its data may be fresh
// by the clock yet the last try failed).
window.addEventListener('online', () => {
  void queryClient.refetchQueries({ predicate: (query) => query.state.status === 'error' });
});

// What a reload without a connection needs to open the workbook: who is signed in, the flow and
// the last acknowledged workbook state. Unsent edits are kept apart, by the autosave queue.
const PERSISTED = new Set([sessionKeys.me(), workbookKeys.flow(), workbookKeys.live()].map((key) => JSON.stringify(key)));
const persister = createSyncStoragePersister({ storage: window.localStorage, key: CACHE_KEY });
const persistOptions = {
  persister,
  maxAge: 30 * 86_400_000,
  buster: 'v1',
  dehydrateOptions: {
    shouldDehydrateQuery: (query: { queryKey: readonly unknown[]; state: { status: string } }) =>
      query.state.status === 'success' && PERSISTED.has(JSON.stringify(query.queryKey)),
  },
};

if (import.meta.env.PROD && 'serviceWorker' in navigator) {
  window.addEventListener('load', () => {
    navigator.serviceWorker.register('/sw.js').catch(() => {
      // Without the worker the app still works online; only reloads without a connection fail.
    });
  });
}

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
createRoot(root).render(
  <StrictMode>
    <PersistQueryClientProvider client={queryClient} persistOptions={persistOptions}>
      <RouterProvider router={router} />
    </PersistQueryClientProvider>
  </StrictMode>,
);
