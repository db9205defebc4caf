import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { useMe, useSessionEnded } from './session';

/** Screens that need a session: without one, to the log-in page, which brings the person back. */
export function RequireSession({ children }: { children: ReactNode }) {
  const me = useMe();
  const ended = useSessionEnded();
  const location = useLocation();
  if (me.isPending) return <p role="status">Loading…</p>;
  // After a 401 nothing of the person is shown: the session banner says why and offers to log in.
  if (ended) return null;
  if (me.data === null) {
    return <Navigate to={`/login?next=${encodeURIComponent(location.pathname + location.search)}`} replace />;
  }
  if (me.isError && !me.data) return <p role="alert">The server cannot be reached. Try again in a moment.</p>;
  return <>{children}</>;
}
