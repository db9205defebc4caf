import { STATUS_TEXT, type AutosaveSnapshot } from '../autosave/queue';

/** The autosave state in words, announced politely to screen readers as it changes. */
export function SaveStatus({ snapshot }: { snapshot: AutosaveSnapshot }) {
  const text = STATUS_TEXT[snapshot.status];
  return (
    <p className={`save-status save-${snapshot.status}`} role="status" aria-live="polite">
      {text}
      {snapshot.status === 'rejected' && snapshot.error ? `: ${snapshot.error}` : ''}
    </p>
  );
}
