import { useEffect, useState, type FormEvent } from 'react';
import { ApiError } from '../api/client';
import type { PublicResume } from '../api/types';
import { ConfirmDialog } from '../app/ConfirmDialog';
import { connectionProblem } from '../app/connection';
import { formatDate, messageOf } from '../app/format';
import { CompareView } from './CompareView';
import { DownloadLinks } from './DownloadLinks';
import { useDeleteResume, useDuplicateResume, useRenameResume, useResume, useReview, useSaveResume } from './data';
import { FeedbackPanel } from './FeedbackPanel';

/** The server's side of a stale save (409 revision_conflict): its current résumé. */
function conflictOf(error: unknown): PublicResume | null {
  if (!(error instanceof ApiError) || error.code !== 'revision_conflict') return null;
  return (error.details.current as PublicResume | undefined) ?? null;
}

interface EditorProps {
  id: number;
  /** True when the résumé was just created with its first feedback: it is brought into view. */
  arrivedWithFeedback: boolean;
  onOpen(id: number): void;
  onDeleted(): void;
}

export function ResumeEditor({ id, arrivedWithFeedback, onOpen, onDeleted }: EditorProps) {
  const resume = useResume(id);
  if (!resume.data) {
    if (resume.isError) return <p role="alert">{connectionProblem(resume.error) ?? messageOf(resume.error)}</p>;
    return <p role="status">Loading…</p>;
  }
  return (
    <article id="resume-editor" className="card resume-editor" aria-labelledby="resume-editor-title">
      {resume.isError && (
        <p role="status" className="connection-problem">
          {connectionProblem(resume.error) ?? messageOf(resume.error)}
        </p>
      )}
      <Header resume={resume.data} onOpen={onOpen} onDeleted={onDeleted} />
      <TextEditor resume={resume.data} />
      <Review resume={resume.data} arrivedWithFeedback={arrivedWithFeedback} />
      <CompareView id={id} name={resume.data.name} currentRevision={resume.data.revision} />
    </article>
  );
}

function Header({ resume, onOpen, onDeleted }: { resume: PublicResume; onOpen(id: number): void; onDeleted(): void }) {
  const rename = useRenameResume(resume.id);
  const duplicate = useDuplicateResume(resume.id);
  const remove = useDeleteResume();
  const [renaming, setRenaming] = useState(false);
  const [name, setName] = useState(resume.name);
  const [confirming, setConfirming] = useState(false);
  const submitName = (event: FormEvent) => {
    event.preventDefault();
    rename.mutate(name, { onSuccess: () => setRenaming(false) });
  };
  const failure = rename.error ?? duplicate.error ?? remove.error;
  return (
    <header>
      {renaming ? (
        <form onSubmit={submitName} className="rename-form">
          <label htmlFor="resume-rename">New name</label>
          <input id="resume-rename" required maxLength={200} value={name} onChange={(event) => setName(event.target.value)} autoFocus />
          <div className="actions">
            <button type="button" onClick={() => setRenaming(false)}>
              Cancel
            </button>
            <button type="submit" className="primary" disabled={rename.isPending}>
              Save name
            </button>
          </div>
        </form>
      ) : (
        <h2 id="resume-editor-title">{resume.name}</h2>
      )}
      <p className="hint">
        Version {resume.revision}, saved {formatDate(resume.updatedAt)}. Download it: <DownloadLinks id={resume.id} revision={resume.revision} name={resume.name} />
      </p>
      <div className="actions resume-actions">
        {!renaming && (
          <button type="button" onClick={() => { setName(resume.name); setRenaming(true); }}>
            Rename
          </button>
        )}
        <button type="button" disabled={duplicate.isPending} onClick={() => duplicate.mutate(undefined, { onSuccess: (copy) => onOpen(copy.id) })}>
          Duplicate
        </button>
        <button type="button" className="danger" onClick={() => setConfirming(true)}>
          Delete
        </button>
      </div>
      {failure && (
        <p role="alert" className="error">
          {connectionProblem(failure) ?? messageOf(failure)}
        </p>
      )}
      <ConfirmDialog
        open={confirming}
        title="Delete this résumé?"
        confirmLabel="Delete résumé"
        danger
        onCancel={() => setConfirming(false)}
        onConfirm={() => {
          setConfirming(false);
          remove.mutate(resume.id, { onSuccess: onDeleted });
        }}
      >
        <p>“{resume.name}” and all its versions and feedback will be deleted. This cannot be undone.</p>
      </ConfirmDialog>
    </header>
  );
}

function TextEditor({ resume }: { resume: PublicResume }) {
  const save = useSaveResume(resume.id);
  // The text being edited, and the version it started from (a save names that revision).
  const [draft, setDraft] = useState(resume.content);
  const [base, setBase] = useState({ revision: resume.revision, content: resume.content });
  const dirty = draft !== base.content;
  // A newer version arrived (saved here, or fetched after another tab saved) while nothing was typed: follow it.
  useEffect(() => {
    if (dirty || resume.revision === base.revision) return;
    setDraft(resume.content);
    setBase({ revision: resume.revision, content: resume.content });
  }, [dirty, resume.revision, resume.content, base.revision]);
  const conflict = conflictOf(save.error);
  const saveFrom = (revision: number) =>
    save.mutate({ revision, content: draft }, { onSuccess: (saved) => setBase({ revision: saved.revision, content: saved.content }) });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    saveFrom(base.revision);
  };
  return (
    <form onSubmit={submit} className="resume-text-form">
      <h3>
        <label htmlFor="resume-editor-text">Text</label>
      </h3>
      <textarea id="resume-editor-text" rows={16} maxLength={100_000} value={draft} onChange={(event) => setDraft(event.target.value)} />
      <div className="actions">
        <span className="hint" role="status">
          {save.isPending ? 'Saving…' : dirty ? 'Unsaved changes' : save.isSuccess ? `Saved as version ${resume.revision}` : ''}
        </span>
        <button type="submit" className="primary" disabled={!dirty || save.isPending}>
          Save as new version
        </button>
      </div>
      {conflict ? (
        <div role="alert" className="conflict card">
          <h4>This résumé changed elsewhere</h4>
          <p>
            Version {conflict.revision} was saved {formatDate(conflict.updatedAt)} (in another tab or device) after you started editing. Nothing of yours
            was saved: your text is still in the box above.
          </p>
          <details>
            <summary>Text of version {conflict.revision}</summary>
            <pre className="resume-text">{conflict.content}</pre>
          </details>
          <div className="actions">
            <button
              type="button"
              onClick={() => {
                setDraft(conflict.content);
                setBase({ revision: conflict.revision, content: conflict.content });
                save.reset();
              }}
            >
              Use version {conflict.revision}
            </button>
            <button type="button" className="primary" onClick={() => saveFrom(conflict.revision)}>
              Save mine as the next version
            </button>
          </div>
        </div>
      ) : (
        save.isError && (
          <p role="alert" className="error">
            {connectionProblem(save.error) ?? messageOf(save.error)}
          </p>
        )
      )}
    </form>
  );
}

function Review({ resume, arrivedWithFeedback }: { resume: PublicResume; arrivedWithFeedback: boolean }) {
  const review = useReview(resume.id);
  const latest = resume.feedback[0];
  return (
    <section aria-labelledby="feedback-title" className="resume-review">
      {latest ? (
        <FeedbackPanel feedback={latest} bringIntoView={arrivedWithFeedback || review.isSuccess} />
      ) : (
        <>
          <h3 id="feedback-title">Feedback</h3>
          <p>No feedback yet.</p>
        </>
      )}
      {review.isError && (
        <p role="alert" className="error">
          {connectionProblem(review.error) ?? messageOf(review.error)}
        </p>
      )}
      <button type="button" onClick={() => review.mutate()} disabled={review.isPending}>
        {latest ? 'Review the saved version again' : 'Get feedback'}
      </button>
    </section>
  );
}
