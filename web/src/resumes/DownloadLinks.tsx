import { resumeApi, type DownloadFormat } from './data';

const FORMATS: { format: DownloadFormat; label: string }[] = [
  { format: 'pdf', label: 'PDF' },
  { format: 'docx', label: 'Word' },
  { format: 'txt', label: 'Plain text' },
];

/** Links that download one version as a PDF, a Word document or plain text. */
export function DownloadLinks({ id, revision, name }: { id: number; revision: number; name: string }) {
  return (
    <span className="download-links">
      {FORMATS.map(({ format, label }, i) => (
        <span key={format}>
          {i > 0 && ' · '}
          <a href={resumeApi.downloadUrl(id, revision, format)} download aria-label={`Download ${name}, version ${revision}, as ${label}`}>
            {label}
          </a>
        </span>
      ))}
    </span>
  );
}

