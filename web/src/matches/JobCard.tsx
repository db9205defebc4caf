import { useId, useState } from 'react';
import { ApiError } from '../api/client';
import type { JobStatus, TrackedJob } from '../api/types';
import { ConfirmDialog } from '../app/ConfirmDialog';
import { connectionProblem } from '../app/connection';
import { formatDate, messageOf } from '../app/format';
import { useDeleteJob, useEditJob, useTrackedJob } from './data';
import { deadlineState, describeDeadline } from './dates';
import { draftOf, inputOf, JobForm } from './JobForm';
import { JOB_STATUSES, STATUS_LABELS } from './labels';

const errorText = (error: unknown) => connectionProblem(error) ?? messageOf(error);

/**
 * One job: what it is, when it is due, and the ways to act on it. The "Move to" select is the
 * keyboard (and touch) way to do what dragging the card does on the board.
 */
export function JobCard({
  job,
  today,
  draggable,
  onMove,
}: {
  job: TrackedJob;
  today: string;
  draggable: boolean;
  onMove(job: TrackedJob, status: JobStatus): void;
}) {
  const id = useId();
  const [editing, setEditing] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const remove = useDeleteJob();
  const titleId = `${id}-title`;
  const state = job.deadline ? deadlineState(job.deadline, today) : null;
  const due = job.deadline !== null && job.status !== 'closed' && state !== 'later';

  return (
    <article
      className={`card job-card${draggable ? ' draggable' : ''}`}
      aria-labelledby={titleId}
      data-job-id={job.id}
      draggable={draggable && !editing}
      onDragStart={(event) => {
        event.dataTransfer.setData('text/x-mosaic-job', String(job.id));
        event.dataTransfer.effectAllowed = 'move';
      }}
    >
      <h3 id={titleId}>{job.title}</h3>
      {(job.company || job.location) && <p className="hint">{[job.company, job.location].filter(Boolean).join(' · ')}</p>}
      {job.deadline && (
        <p>
          <span className={`badge${due ? ` due-${state}` : ''}`}>{describeDeadline(job.deadline, today)}</span>
        </p>
      )}
      {job.salary && <p>Salary: {job.salary}</p>}
      {job.contact && <p>Contact: {job.contact}</p>}
      {job.url && (
        <p>
          <a href={job.url} target="_blank" rel="noopener noreferrer">
            Open the posting<span className="visually-hidden"> for {job.title} (opens a new tab)</span>
          </a>
        </p>
      )}
      <label htmlFor={`${id}-move`} className="move-label">
        Move<span className="visually-hidden"> {job.title}</span> to
      </label>
      <select id={`${id}-move`} value={job.status} onChange={(event) => onMove(job, event.target.value as JobStatus)}>
        {JOB_STATUSES.map((status) => (
          <option key={status} value={status}>
            {STATUS_LABELS[status]}
          </option>
        ))}
      </select>
      <div className="actions">
        <button type="button" aria-expanded={editing} onClick={() => setEditing((v) => !v)}>
          {editing ? 'Close' : 'Details and edit'}
          <span className="visually-hidden"> {job.title}</span>
        </button>
        <button type="button" className="link" onClick={() => setConfirmDelete(true)}>
          Delete<span className="visually-hidden"> {job.title}</span>
        </button>
      </div>
      {remove.isError && (
        <p role="alert" className="error">
          {errorText(remove.error)}
        </p>
      )}
      {editing && <JobDetails job={job} onDone={() => setEditing(false)} />}
      <ConfirmDialog
        open={confirmDelete}
        title={`Delete ${job.title}?`}
        confirmLabel="Delete"
        danger
        onCancel={() => setConfirmDelete(false)}
        onConfirm={() => {
          setConfirmDelete(false);
          remove.mutate(job.id);
        }}
      >
        <p>The job and its status history are deleted. This cannot be undone.</p>
      </ConfirmDialog>
    </article>
  );
}

/**
 * The edit form with the job's history. An edit carries the version the form was opened with;
 * when the job changed elsewhere meanwhile the server answers 409 with the newer job, and the
 * person chooses: keep their changes (saved over the newer version) or take the newer one.
 */
function JobDetails({ job, onDone }: { job: TrackedJob; onDone(): void }) {
  const edit = useEditJob();
  const detail = useTrackedJob(job.id, true);
  const [base, setBase] = useState(job);
  const [conflict, setConflict] = useState<{ current: TrackedJob; mine: ReturnType<typeof draftOf> } | null>(null);
  const [formKey, setFormKey] = useState(0);
  const history = detail.data?.history ?? [];

  const save = (input: Parameters<typeof edit.mutate>[0]) =>
    edit.mutate(input, {
      onSuccess: () => {
        setConflict(null);
        onDone();
      },
      onError: (error) => {
        if (error instanceof ApiError && error.status === 409 && error.details.current) {
          const current = error.details.current as TrackedJob;
          const { id: _id, version: _version, ...mine } = input;
          setConflict({ current, mine: draftOf({ ...current, ...mine }) });
        }
      },
    });

  return (
    <div className="job-details">
      <JobForm key={formKey} initial={draftOf(base)} submitLabel="Save changes" busy={edit.isPending} onCancel={onDone} onSubmit={(input) => save({ ...input, id: job.id, version: base.version })}>
        {conflict && (
          <div role="alert" className="note">
            <p>This job was changed in another tab or device since you opened it. Your changes are not saved yet.</p>
            <div className="actions">
              <button type="button" onClick={() => save({ ...inputOf(conflict.mine), id: job.id, version: conflict.current.version })}>
                Save mine over it
              </button>
              <button
                type="button"
                onClick={() => {
                  setBase(conflict.current);
                  setConflict(null);
                  setFormKey((k) => k + 1);
                }}
              >
                Show the newer version
              </button>
            </div>
          </div>
        )}
        {edit.isError && !conflict && (
          <p role="alert" className="error">
            {errorText(edit.error)}
          </p>
        )}
      </JobForm>
      <h4>History</h4>
      {detail.isError && <p className="error">{errorText(detail.error)}</p>}
      <ol className="plain" aria-label={`Status history of ${job.title}`}>
        {history.map((change, i) => (
          <li key={i}>
            {formatDate(change.createdAt)}: {change.fromStatus ? `${STATUS_LABELS[change.fromStatus]} → ` : 'Added as '}
            {STATUS_LABELS[change.toStatus]}
          </li>
        ))}
      </ol>
    </div>
  );
}
