import { useBrowserOnline } from '../app/connection';
import { STATUS_TEXT, type AutosaveSnapshot } from '../autosave/queue';

const UNREACHABLE_TEXT = "Mosaic can't be reached — your changes are kept on this device and will be sent when it is back";

/** The autosave state in words, announced politely to screen readers as it changes. */
export function SaveStatus({ snapshot }: { snapshot: AutosaveSnapshot }) {
  const online = useBrowserOnline();
  // The queue says 'offline' for any save that got no answer: say which side is away.
  const text = snapshot.status === 'offline' && online ? UNREACHABLE_TEXT : STATUS_TEXT[snapshot.status];
  return (
    <p className={`save-status save-${snapshot.status}`} role="status" aria-live="polite">
      {text}
      {snapshot.status === 'rejected' && snapshot.error ? `: ${snapshot.error}` : ''}
    </p>
  );
}
