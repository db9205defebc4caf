import { useState, type FormEvent } from 'react';
import { useFiles } from '../api/files';
import { useMatches } from '../api/matches';
import { connectionProblem } from '../app/connection';
import { formatDate, messageOf } from '../app/format';
import { ScreenHeading } from '../app/ScreenHeading';
import { usePageTitle } from '../app/usePageTitle';
import { useCreateResume, useResumes } from './data';
import { ResumeEditor } from './ResumeEditor';
import { plural } from './plural';

export default function ResumesScreen() {
  usePageTitle('Résumés');
  const resumes = useResumes();
  const [openId, setOpenId] = useState<number | null>(null);
  const [createdId, setCreatedId] = useState<number | null>(null);
  const problem = resumes.isError ? (connectionProblem(resumes.error) ?? messageOf(resumes.error)) : null;
  const list = resumes.data ?? [];
  return (
    <section>
      <ScreenHeading>Résumés</ScreenHeading>
      {problem && (
        <p role="status" className="connection-problem">
          {problem}
        </p>
      )}
      <h2 id="resume-list-title">Your résumés</h2>
      {resumes.data && <p className="hint">{list.length === 0 ? 'No résumés yet: start one below.' : plural(list.length, 'résumé', 'résumés')}</p>}
      <ul className="plain resume-list" aria-labelledby="resume-list-title">
        {list.map((resume) => (
          <li key={resume.id}>
            <button
              type="button"
              className="link"
              aria-expanded={openId === resume.id}
              aria-controls={openId === resume.id ? 'resume-editor' : undefined}
              onClick={() => {
                setCreatedId(null);
                setOpenId(openId === resume.id ? null : resume.id);
              }}
            >
              {resume.name}
            </button>{' '}
            <span className="hint">
              version {resume.revision} · {formatDate(resume.updatedAt)}
            </span>
          </li>
        ))}
      </ul>
      {openId !== null && (
        <ResumeEditor
          key={openId}
          id={openId}
          arrivedWithFeedback={createdId === openId}
          onOpen={(id) => setOpenId(id)}
          onDeleted={() => setOpenId(null)}
        />
      )}
      <NewResumeForm
        onCreated={(id) => {
          setCreatedId(id);
          setOpenId(id);
        }}
      />
    </section>
  );
}

function NewResumeForm({ onCreated }: { onCreated(id: number): void }) {
  const files = useFiles();
  const matches = useMatches();
  const create = useCreateResume();
  const [name, setName] = useState('');
  const [source, setSource] = useState<'text' | 'file'>('text');
  const [content, setContent] = useState('');
  const [fileId, setFileId] = useState('');
  const [jobMatchId, setJobMatchId] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const base = { name, ...(jobMatchId ? { jobMatchId: Number(jobMatchId) } : {}) };
    create.mutate(source === 'text' ? { ...base, content } : { ...base, fileId: Number(fileId) }, {
      onSuccess: (resume) => {
        setName('');
        setContent('');
        onCreated(resume.id);
      },
    });
  };
  const withText = (files.data ?? []).filter((f) => f.hasText);

  return (
    <form onSubmit={submit} className="card">
      <h2>New résumé</h2>
      <label htmlFor="resume-name">Name</label>
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
      <label htmlFor="resume-match">For a job match (optional)</label>
      <select id="resume-match" value={jobMatchId} onChange={(event) => setJobMatchId(event.target.value)}>
        <option value="">No job match</option>
        {(matches.data ?? []).map((match) => (
          <option key={match.id} value={match.id}>
            {match.title}
          </option>
        ))}
      </select>
      {create.isError && (
        <p role="alert" className="error">
          {connectionProblem(create.error) ?? messageOf(create.error)}
        </p>
      )}
      <div className="actions">
        <button type="submit" className="primary" disabled={create.isPending}>
          Create and get feedback
        </button>
      </div>
    </form>
  );
}
