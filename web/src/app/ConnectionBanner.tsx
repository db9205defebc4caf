import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useSyncExternalStore } from 'react';
import { reachabilityOf, useBrowserOnline } from './connection';

/** Whether some query's last try got no answer from Mosaic while the browser was online. */
function useMosaicUnreachable(): boolean {
  const cache = useQueryClient().getQueryCache();
  const subscribe = useCallback((onChange: () => void) => cache.subscribe(onChange), [cache]);
  const read = useCallback(
    () =>
      cache
        .getAll()
        // Only what is on screen: a query no screen shows is not asked again, so its old failure stays.
        .some((query) => query.getObserversCount() > 0 && query.state.status === 'error' && reachabilityOf(query.state.error) === 'mosaic-unreachable'),
    [cache],
  );
  return useSyncExternalStore(subscribe, read, () => false);
}

/**
 * The app-wide line under the navigation when this browser is offline, or when Mosaic does not
 * answer: what is on screen is the last loaded, and it catches up by itself (see recovery.ts).
 */
export function ConnectionBanner() {
  const online = useBrowserOnline();
  const unreachable = useMosaicUnreachable();
  const text = !online
    ? 'This browser is offline. You are seeing what was last loaded.'
    : unreachable
      ? "Mosaic can't be reached right now. You are seeing what was last loaded; it updates by itself when Mosaic is back."
      : null;
  return (
    <p className={text ? 'connection-banner' : 'visually-hidden'} role="status" aria-live="polite" data-testid="connection-banner">
      {text}
    </p>
  );
}
