import { useMemo, useState } from 'react';
import { useSearchParams } from 'react-router';
import type { JobStatus, TrackedJob } from '../api/types';
import { connectionProblem } from '../app/connection';
import { messageOf } from '../app/format';
import { ScreenHeading } from '../app/ScreenHeading';
import { usePageTitle } from '../app/usePageTitle';
import { useCreateJob, useMoveJob, useTrackedJobs } from './data';
import { daysBetween, DUE_SOON_DAYS, localToday } from './dates';
import { JobCard } from './JobCard';
import { draftOf, JobForm } from './JobForm';
import { JOB_STATUSES, plural, STATUS_LABELS } from './labels';

const errorText = (error: unknown) => connectionProblem(error) ?? messageOf(error);

/** Not closed, with a deadline already past or within the next seven days (today included). */
const isDueSoon = (job: TrackedJob, today: string) =>
  job.deadline !== null && job.status !== 'closed' && daysBetween(today, job.deadline) < DUE_SOON_DAYS;

const byDeadline = (a: TrackedJob, b: TrackedJob) => (a.deadline ?? '').localeCompare(b.deadline ?? '') || a.id - b.id;

/**
 * The person's own jobs: what is due this week, then a board by status (drag a card, or use its
 * "Move to" select) or a filtered list. While Mosaic cannot be reached the last jobs shown stay,
 * with a note saying so, and the screen updates by itself once it is back.
 */
export default function JobsScreen() {
  usePageTitle('My jobs');
  const jobs = useTrackedJobs();
  const move = useMoveJob();
  const [params, setParams] = useSearchParams();
  const view = params.get('view') === 'list' ? 'list' : 'board';
  const [announcement, setAnnouncement] = useState('');
  const today = localToday();
  const all = jobs.data?.jobs;
  const problem = connectionProblem(jobs.error);

  const moveTo = (job: TrackedJob, status: JobStatus) => {
    if (job.status === status) return;
    setAnnouncement('');
    move.mutate(
      { id: job.id, status },
      {
        onSuccess: () => setAnnouncement(`Moved ${job.title} to ${STATUS_LABELS[status]}.`),
        onError: (error) => setAnnouncement(`${job.title} was not moved: ${errorText(error)}`),
      },
    );
  };

  return (
    <section className="jobs-screen">
      <ScreenHeading>My jobs</ScreenHeading>
      {all && (
        <p className="hint">
          {plural(all.length, 'job', 'jobs')} · {plural(all.filter((j) => j.status === 'applied' || j.status === 'interviewing').length, 'application', 'applications')} in progress
        </p>
      )}
      {problem && (
        <p role="status" className="note">
          {problem}
        </p>
      )}
      {jobs.isError && !problem && (
        <p role="alert" className="error">
          {messageOf(jobs.error)}
        </p>
      )}
      {jobs.isPending && !jobs.isError && <p role="status">Loading your jobs…</p>}
      <AddJob atLimit={all !== undefined && jobs.data !== undefined && all.length >= jobs.data.limit} />
      {all && <DueThisWeek jobs={all} today={today} onMove={moveTo} />}
      <div className="actions" role="group" aria-label="View">
        <button type="button" aria-pressed={view === 'board'} onClick={() => setParams({}, { replace: true })}>
          Board
        </button>
        <button type="button" aria-pressed={view === 'list'} onClick={() => setParams({ view: 'list' }, { replace: true })}>
          List
        </button>
      </div>
      {all && all.length === 0 && <p>No jobs yet. Add one you found, or add one of your matches from Job matches.</p>}
      {all && all.length > 0 && (view === 'board' ? <Board jobs={all} today={today} onMove={moveTo} /> : <JobList jobs={all} today={today} onMove={moveTo} />)}
      <p aria-live="polite" role="status" className="visually-hidden">
        {announcement}
      </p>
      {move.isError && (
        <p role="alert" className="error">
          {errorText(move.error)}
        </p>
      )}
    </section>
  );
}

function AddJob({ atLimit }: { atLimit: boolean }) {
  const [open, setOpen] = useState(false);
  const [formKey, setFormKey] = useState(0);
  const create = useCreateJob();
  if (!open) {
    return (
      <div className="actions">
        <button type="button" className="primary" onClick={() => setOpen(true)} disabled={atLimit}>
          Add a job
        </button>
        {atLimit && <span className="hint">You have reached the most jobs one person can keep; delete some to add more.</span>}
      </div>
    );
  }
  return (
    <div className="card">
      <h2>Add a job</h2>
      <JobForm
        key={formKey}
        initial={draftOf()}
        submitLabel={create.isPending ? 'Adding…' : 'Add job'}
        busy={create.isPending}
        onCancel={() => setOpen(false)}
        onSubmit={(input) =>
          create.mutate(input, {
            onSuccess: () => {
              setFormKey((k) => k + 1);
              setOpen(false);
            },
          })
        }
      >
        {create.isError && (
          <p role="alert" className="error">
            {errorText(create.error)}
          </p>
        )}
      </JobForm>
    </div>
  );
}

function DueThisWeek({ jobs, today, onMove }: { jobs: TrackedJob[]; today: string; onMove(job: TrackedJob, status: JobStatus): void }) {
  const due = jobs.filter((job) => isDueSoon(job, today)).sort(byDeadline);
  return (
    <section aria-labelledby="due-this-week" className="due-this-week">
      <h2 id="due-this-week">Due this week</h2>
      {due.length === 0 ? (
        <p>Nothing due in the next seven days.</p>
      ) : (
        <ul className="job-list">
          {due.map((job) => (
            <li key={job.id}>
              <JobCard job={job} today={today} draggable={false} onMove={onMove} />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** One column per status. A card dropped on a column moves there (HTML drag and drop). */
function Board({ jobs, today, onMove }: { jobs: TrackedJob[]; today: string; onMove(job: TrackedJob, status: JobStatus): void }) {
  const [over, setOver] = useState<JobStatus | null>(null);
  const byId = useMemo(() => new Map(jobs.map((job) => [job.id, job])), [jobs]);
  return (
    <div className="board">
      {JOB_STATUSES.map((status) => {
        const column = jobs.filter((job) => job.status === status);
        return (
          <section
            key={status}
            aria-labelledby={`column-${status}`}
            className={`board-column${over === status ? ' drop-target' : ''}`}
            data-status={status}
            onDragOver={(event) => {
              if (!event.dataTransfer.types.includes('text/x-mosaic-job')) return;
              event.preventDefault();
              event.dataTransfer.dropEffect = 'move';
              setOver(status);
            }}
            onDragLeave={() => setOver((current) => (current === status ? null : current))}
            onDrop={(event) => {
              event.preventDefault();
              setOver(null);
              const job = byId.get(Number(event.dataTransfer.getData('text/x-mosaic-job')));
              if (job) onMove(job, status);
            }}
          >
            <h2 id={`column-${status}`}>
              {STATUS_LABELS[status]} <span className="count">({column.length})</span>
            </h2>
            <ul className="job-list">
              {column.map((job) => (
                <li key={job.id}>
                  <JobCard job={job} today={today} draggable onMove={onMove} />
                </li>
              ))}
            </ul>
          </section>
        );
      })}
    </div>
  );
}

/** Every job in one list, narrowed by status, words and what is due soon. */
function JobList({ jobs, today, onMove }: { jobs: TrackedJob[]; today: string; onMove(job: TrackedJob, status: JobStatus): void }) {
  const [status, setStatus] = useState<'all' | JobStatus>('all');
  const [text, setText] = useState('');
  const [dueSoon, setDueSoon] = useState(false);
  const words = text.trim().toLowerCase();
  const shown = jobs.filter(
    (job) =>
      (status === 'all' || job.status === status) &&
      (!dueSoon || isDueSoon(job, today)) &&
      (words === '' ||
        [job.title, job.company, job.location, job.contact, job.notes, job.salary].some((field) => field?.toLowerCase().includes(words))),
  );
  return (
    <section aria-label="Job list">
      <div className="filters">
        <div>
          <label htmlFor="job-status-filter">Status</label>
          <select id="job-status-filter" value={status} onChange={(event) => setStatus(event.target.value as typeof status)}>
            <option value="all">All statuses</option>
            {JOB_STATUSES.map((s) => (
              <option key={s} value={s}>
                {STATUS_LABELS[s]}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="job-search">Search jobs</label>
          <input id="job-search" type="search" value={text} onChange={(event) => setText(event.target.value)} />
        </div>
        <label className="inline">
          <input type="checkbox" checked={dueSoon} onChange={(event) => setDueSoon(event.target.checked)} />
          Due within a week
        </label>
      </div>
      <p role="status">
        Showing {plural(shown.length, 'job', 'jobs')} of {jobs.length.toLocaleString()}
      </p>
      <ul className="job-list">
        {shown.map((job) => (
          <li key={job.id}>
            <JobCard job={job} today={today} draggable={false} onMove={onMove} />
          </li>
        ))}
      </ul>
    </section>
  );
}
