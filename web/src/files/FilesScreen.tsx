import { useState, type DragEvent } from 'react';
import type { PublicFile } from '../api/types';
import { ConfirmDialog } from '../app/ConfirmDialog';
import { connectionProblem } from '../app/connection';
import { formatBytes, formatDate, messageOf } from '../app/format';
import { ScreenHeading } from '../app/ScreenHeading';
import { usePageTitle } from '../app/usePageTitle';
import { fileContentUrl, useDeleteFile, useFileList } from './data';
import { ACCEPT_ATTRIBUTE, ACCEPTED_TEXT, typeName } from './typeNames';
import { useUploads, type UploadItem } from './useUploads';

export default function FilesScreen() {
  usePageTitle('Files');
  const list = useFileList();
  const limits = list.data?.limits;
  const uploads = useUploads(limits?.maxFileBytes);
  const remove = useDeleteFile();
  const [dragging, setDragging] = useState(false);
  const [toDelete, setToDelete] = useState<PublicFile | null>(null);
  const files = list.data?.files;
  const used = files?.reduce((sum, file) => sum + file.size, 0) ?? 0;

  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setDragging(false);
    uploads.add(event.dataTransfer.files);
  };

  return (
    <section>
      <ScreenHeading>Files</ScreenHeading>
      <div
        className={`dropzone${dragging ? ' dragging' : ''}`}
        onDragOver={(event) => {
          event.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
      >
        <p>Drop résumés or documents here, or choose them. Several at once are uploaded one after another.</p>
        <label htmlFor="file-input">Choose files to upload</label>
        <input
          id="file-input"
          type="file"
          multiple
          accept={ACCEPT_ATTRIBUTE}
          aria-describedby="upload-rules"
          onChange={(event) => {
            uploads.add(Array.from(event.target.files ?? []));
            event.target.value = '';
          }}
        />
        <p id="upload-rules" className="hint" data-testid="upload-rules">
          {ACCEPTED_TEXT}.
          {limits && (
            <>
              {' '}
              Up to {formatBytes(limits.maxFileBytes)} per file; {formatBytes(used)} of your {formatBytes(limits.maxStorageBytes)} used.
            </>
          )}
        </p>
        <UploadList items={uploads.items} onClear={uploads.clearFinished} />
      </div>
      {list.isError && (
        <p role="alert" className={files ? 'notice' : 'error'}>
          {connectionProblem(list.error) ?? `Your files could not be loaded: ${messageOf(list.error)}`}
        </p>
      )}
      {list.isPending && <p role="status">Loading your files…</p>}
      {files && files.length === 0 && <p>No files yet.</p>}
      {files && files.length > 0 && (
        <ul className="file-cards" aria-label="Your files">
          {files.map((file) => (
            <li key={file.id} className="file-card">
              <p className="file-name">{file.name}</p>
              <p className="file-meta">
                <span>{typeName(file.contentType)}</span>
                <span>{formatBytes(file.size)}</span>
                <span>
                  Uploaded <time dateTime={file.createdAt}>{formatDate(file.createdAt)}</time>
                </span>
              </p>
              <p className="file-actions">
                <a href={fileContentUrl(file.id)} download={file.name} aria-label={`Download ${file.name}`}>
                  Download
                </a>
                <button type="button" className="link" aria-label={`Delete ${file.name}`} onClick={() => setToDelete(file)}>
                  Delete
                </button>
              </p>
            </li>
          ))}
        </ul>
      )}
      {remove.isError && <p role="alert" className="error">{messageOf(remove.error)}</p>}
      <ConfirmDialog
        open={toDelete !== null}
        title="Delete this file?"
        confirmLabel="Delete"
        danger
        onCancel={() => setToDelete(null)}
        onConfirm={() => {
          if (toDelete) remove.mutate(toDelete.id);
          setToDelete(null);
        }}
      >
        <p>{toDelete?.name} will be deleted. Résumé versions made from it keep their text.</p>
      </ConfirmDialog>
    </section>
  );
}

const STATE_TEXT = { waiting: 'Waiting', uploading: 'Uploading', done: 'Uploaded', failed: 'Not uploaded' } as const;

/** Each chosen file with its own outcome, announced as it changes. */
function UploadList({ items, onClear }: { items: UploadItem[]; onClear(): void }) {
  if (items.length === 0) return null;
  const finished = items.some((item) => item.state === 'done' || item.state === 'failed');
  return (
    <div className="uploads">
      <h2 className="visually-hidden">Uploads</h2>
      <ul aria-live="polite" aria-label="Uploads">
        {items.map((item) => {
          const percent = Math.round(item.progress * 100);
          return (
            <li key={item.key} className={`upload upload-${item.state}`} data-testid="upload">
              <span className="file-name">{item.name}</span>{' '}
              <span className="upload-state">
                {STATE_TEXT[item.state]}
                {item.state === 'uploading' ? `: ${percent}%` : ''}
              </span>
              {item.state === 'failed' && item.error && (
                <span role="alert" className="error upload-error">
                  {' '}
                  {item.error}
                </span>
              )}
              {item.state === 'uploading' && (
                <progress max={100} value={percent} aria-label={`Uploading ${item.name}`}>
                  {percent}%
                </progress>
              )}
            </li>
          );
        })}
      </ul>
      {finished && (
        <button type="button" className="link" onClick={onClear}>
          Clear finished uploads
        </button>
      )}
    </div>
  );
}
