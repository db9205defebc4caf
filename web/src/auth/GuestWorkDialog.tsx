import type { GuestWork, GuestWorkChoice } from '../api/client';
import { useDialog } from '../app/ConfirmDialog';
import { plural } from '../app/format';

function describe(work: GuestWork): string[] {
  return [
    work.workbookRuns > 0 ? plural(work.workbookRuns, 'workbook with answers', 'workbooks with answers') : '',
    work.chatMessages > 0 ? plural(work.chatMessages, 'chat message', 'chat messages') : '',
    work.files > 0 ? plural(work.files, 'file', 'files') : '',
    work.jobMatches > 0 ? plural(work.jobMatches, 'job match', 'job matches') : '',
    work.resumes > 0 ? plural(work.resumes, 'résumé', 'résumés') : '',
    work.trackedJobs > 0 ? plural(work.trackedJobs, 'job on your board', 'jobs on your board') : '',
  ].filter(Boolean);
}

/**
 * A guest logging in to an account chooses what becomes of the guest's work: added to the
 * account (workbook answers become its workbook if it has none, else a past run; the rest moves
 * over) or discarded. Either way the guest ends; nothing happens without a choice.
 */
export function GuestWorkDialog({
  work,
  busy,
  onChoose,
  onCancel,
}: {
  work: GuestWork | null;
  busy: boolean;
  onChoose(choice: GuestWorkChoice): void;
  onCancel(): void;
}) {
  const dialog = useDialog(work !== null);
  return (
    <dialog ref={dialog} aria-labelledby="guest-work-title" onCancel={(event) => { event.preventDefault(); onCancel(); }}>
      <h2 id="guest-work-title">What about your guest work?</h2>
      <p>As a guest you have made: {work ? describe(work).join(', ') : ''}.</p>
      <p>
        Add it to this account — your workbook answers become its workbook if it has none yet, otherwise a past run you
          can read — or discard it. A guest’s work cannot be reached again once you log in to an account.
      </p>
      <div className="actions">
        <button type="button" onClick={onCancel} disabled={busy}>
          Cancel
        </button>
        <button type="button" className="danger" onClick={() => onChoose('discard')} disabled={busy}>
          Discard my guest work
        </button>
        <button type="button" className="primary" onClick={() => onChoose('merge')} disabled={busy}>
          Add it to my account
        </button>
      </div>
    </dialog>
  );
}
