import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api } from '../api/client';
import type { StoredFeedback } from '../api/types';
import { formatDate, messageOf } from '../app/format';
import { ScreenHeading } from '../app/ScreenHeading';
import { useFiles } from '../api/files';

const RESUMES_KEY = ['resumes'] as const;

export default function ResumesScreen() {
  const resumes = useQuery({ queryKey: RESUMES_KEY, queryFn: async () => (await api.resumes()).resumes });
  const [openId, setOpenId] = useState<number | null>(null);
  return (
    <section>
      <ScreenHeading>Résumés</ScreenHeading>
      <NewResumeForm onCreated={setOpenId} />
      <h2>Your versions</h2>
      {resumes.isError && <p role="alert">{messageOf(resumes.error)}</p>}
      {resumes.data?.length === 0 && <p>No résumé versions yet.</p>}
      <ul className="plain">
        {(resumes.data ?? []).map((resume) => (
          <li key={resume.id}>
            <button type="button" className="link" aria-expanded={openId === resume.id} onClick={() => setOpenId(openId === resume.id ? null : resume.id)}>
              {resume.name}
            </button>{' '}
            <span className="hint">{formatDate(resume.createdAt)}</span>
          </li>
        ))}
      </ul>
      {openId !== null && <ResumeDetail id={openId} />}
    </section>
  );
}

function NewResumeForm({ onCreated }: { onCreated(id: number): void }) {
  const client = useQueryClient();
  const files = useFiles();
  const matches = useQuery({ queryKey: ['matches'], queryFn: async () => (await api.matches()).matches });
  const [name, setName] = useState('');
  const [source, setSource] = useState<'text' | 'file'>('text');
  const [content, setContent] = useState('');
  const [fileId, setFileId] = useState('');
  const [jobMatchId, setJobMatchId] = useState('');
  const create = useMutation({
    mutationFn: async () => {
      const base = { name, ...(jobMatchId ? { jobMatchId: Number(jobMatchId) } : {}) };
      const { resume } = await api.createResume(source === 'text' ? { ...base, content } : { ...base, fileId: Number(fileId) });
      await api.resumeFeedback(resume.id);
      return resume;
    },
    onSuccess: (resume) => {
      void client.invalidateQueries({ queryKey: RESUMES_KEY });
      setName('');
      setContent('');
      onCreated(resume.id);
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate();
  };
  const withText = (files.data ?? []).filter((f) => f.hasText);

  return (
    <form onSubmit={submit} className="card">
      <h2>New version</h2>
      <label htmlFor="resume-name">Name of this version</label>
      <input id="resume-name" required maxLength={200} value={name} onChange={(event) => setName(event.target.value)} />
      <fieldset>
        <legend>Take the text from</legend>
        <label className="inline">
          <input type="radio" name="source" checked={source === 'text'} onChange={() => setSource('text')} /> Pasted text
        </label>
        <label className="inline">
          <input type="radio" name="source" checked={source === 'file'} onChange={() => setSource('file')} /> An uploaded file
        </label>
      </fieldset>
      {source === 'text' ? (
        <>
          <label htmlFor="resume-content">Résumé text</label>
          <textarea id="resume-content" rows={10} maxLength={100_000} value={content} onChange={(event) => setContent(event.target.value)} />
        </>
      ) : (
        <>
          <label htmlFor="resume-file">File</label>
          <select id="resume-file" value={fileId} onChange={(event) => setFileId(event.target.value)}>
            <option value="">Choose a file…</option>
            {withText.map((file) => (
              <option key={file.id} value={file.id}>
                {file.name}
              </option>
            ))}
          </select>
          {withText.length === 0 && <p className="hint">Upload a PDF, DOCX or text file on the Files screen first.</p>}
        </>
      )}
      <label htmlFor="resume-match">Against a job match (optional)</label>
      <select id="resume-match" value={jobMatchId} onChange={(event) => setJobMatchId(event.target.value)}>
        <option value="">No job match</option>
        {(matches.data ?? []).map((match) => (
          <option key={match.id} value={match.id}>
            {match.title}
          </option>
        ))}
      </select>
      {create.isError && <p role="alert" className="error">{messageOf(create.error)}</p>}
      <div className="actions">
        <button type="submit" className="primary" disabled={create.isPending}>
          Create version and get feedback
        </button>
      </div>
    </form>
  );
}

function ResumeDetail({ id }: { id: number }) {
  const client = useQueryClient();
  const resume = useQuery({ queryKey: ['resumes', id], queryFn: async () => (await api.resume(id)).resume });
  const review = useMutation({
    mutationFn: () => api.resumeFeedback(id),
    onSuccess: () => void client.invalidateQueries({ queryKey: ['resumes', id] }),
  });
  if (resume.isError) return <p role="alert">{messageOf(resume.error)}</p>;
  if (!resume.data) return <p role="status">Loading…</p>;
  const latest = resume.data.feedback[0];
  return (
    <article className="card" aria-labelledby="resume-detail-title">
      <h2 id="resume-detail-title">{resume.data.name}</h2>
      {latest ? <FeedbackChecklist feedback={latest} /> : <p>No feedback yet.</p>}
      <button type="button" onClick={() => review.mutate()} disabled={review.isPending}>
        Review again
      </button>
      <details>
        <summary>Text of this version</summary>
        <pre className="resume-text">{resume.data.content}</pre>
      </details>
    </article>
  );
}

function Check({ ok, children }: { ok: boolean; children: React.ReactNode }) {
  return (
    <li className={ok ? 'check ok' : 'check todo'}>
      <span className="mark" aria-hidden="true">
        {ok ? '✓' : '○'}
      </span>{' '}
      <span className="visually-hidden">{ok ? 'Done: ' : 'To do: '}</span>
      {children}
    </li>
  );
}

function FeedbackChecklist({ feedback }: { feedback: StoredFeedback }) {
  return (
    <section aria-labelledby="feedback-title">
      <h3 id="feedback-title">Feedback</h3>
      <ul className="checklist">
        <Check ok={feedback.length.verdict === 'good'}>
          Length: {feedback.length.words} words. {feedback.length.advice}
        </Check>
        <Check ok={feedback.quantifiedResults.count > 0}>
          Quantified results: {feedback.quantifiedResults.count}
          {feedback.quantifiedResults.examples.length > 0 ? ` (${feedback.quantifiedResults.examples.slice(0, 3).join(', ')})` : ''}
        </Check>
        <Check ok={feedback.actionVerbs.count > 0}>Action verbs: {feedback.actionVerbs.count > 0 ? feedback.actionVerbs.found.join(', ') : 'none found'}</Check>
        <Check ok={feedback.summarySection.present}>A summary section at the top</Check>
        {feedback.jobMatch && (
          <Check ok={feedback.jobMatch.missingSkills.length === 0}>
            Skills for {feedback.jobMatch.title}:{' '}
            {feedback.jobMatch.missingSkills.length === 0 ? 'all present' : `missing ${feedback.jobMatch.missingSkills.join(', ')}`}
          </Check>
        )}
      </ul>
      {feedback.jobMatch && feedback.jobMatch.missingSkills.length > 0 && (
        <>
          <h4>Missing skills</h4>
          <ul>
            {feedback.jobMatch.missingSkills.map((skill) => (
              <li key={skill}>{skill}</li>
            ))}
          </ul>
        </>
      )}
      {feedback.suggestions.length > 0 && (
        <>
          <h4>Suggestions</h4>
          <ul>
            {feedback.suggestions.map((s) => (
              <li key={s}>{s}</li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
