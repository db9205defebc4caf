import { useId, useState, type FormEvent } from 'react';
import { JOB_FIELD_MAX } from '../api/routes';
import type { TrackedJob } from '../api/types';
import type { JobInput } from './data';

const TEXT_FIELDS = [
  ['company', 'Company', 'text'],
  ['url', 'Link to the posting', 'url'],
  ['location', 'Location', 'text'],
  ['salary', 'Salary', 'text'],
  ['contact', 'Contact', 'text'],
] as const;

type Draft = Record<keyof JobInput, string>;

export const draftOf = (job?: TrackedJob): Draft => ({
  title: job?.title ?? '',
  company: job?.company ?? '',
  url: job?.url ?? '',
  location: job?.location ?? '',
  salary: job?.salary ?? '',
  deadline: job?.deadline ?? '',
  contact: job?.contact ?? '',
  notes: job?.notes ?? '',
});

const orNull = (text: string) => (text.trim() === '' ? null : text.trim());

export const inputOf = (draft: Draft): JobInput => ({
  title: draft.title.trim(),
  company: orNull(draft.company),
  url: orNull(draft.url),
  location: orNull(draft.location),
  salary: orNull(draft.salary),
  deadline: orNull(draft.deadline),
  contact: orNull(draft.contact),
  notes: orNull(draft.notes),
});

/** The fields of a job, for adding one or editing it. Only the title is required. */
export function JobForm({
  initial,
  submitLabel,
  busy,
  onSubmit,
  onCancel,
  children,
}: {
  initial: Draft;
  submitLabel: string;
  busy: boolean;
  onSubmit(input: JobInput, reset: (draft: Draft) => void): void;
  onCancel?(): void;
  children?: React.ReactNode;
}) {
  const id = useId();
  const [draft, setDraft] = useState<Draft>(initial);
  const set = (key: keyof Draft) => (event: { target: { value: string } }) => setDraft((d) => ({ ...d, [key]: event.target.value }));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSubmit(inputOf(draft), setDraft);
  };
  return (
    <form onSubmit={submit} className="job-form">
      <label htmlFor={`${id}-title`}>Job title (required)</label>
      <input id={`${id}-title`} required maxLength={JOB_FIELD_MAX.title} value={draft.title} onChange={set('title')} />
      {TEXT_FIELDS.map(([key, label, type]) => (
        <div key={key}>
          <label htmlFor={`${id}-${key}`}>{label}</label>
          <input
            id={`${id}-${key}`}
            type={type}
            maxLength={JOB_FIELD_MAX[key]}
            value={draft[key]}
            onChange={set(key)}
            {...(type === 'url' ? { placeholder: 'https://…', pattern: 'https?://.+' } : {})}
          />
        </div>
      ))}
      <label htmlFor={`${id}-deadline`}>Deadline</label>
      <input id={`${id}-deadline`} type="date" value={draft.deadline} onChange={set('deadline')} />
      <label htmlFor={`${id}-notes`}>Notes</label>
      <textarea id={`${id}-notes`} rows={3} maxLength={JOB_FIELD_MAX.notes} value={draft.notes} onChange={set('notes')} />
      {children}
      <div className="actions">
        <button type="submit" className="primary" disabled={busy}>
          {submitLabel}
        </button>
        {onCancel && (
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
        )}
      </div>
    </form>
  );
}
