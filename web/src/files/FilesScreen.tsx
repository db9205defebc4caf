import { useState, type DragEvent } from 'react';
import { api } from '../api/client';
import type { PublicFile } from '../api/types';
import { ConfirmDialog } from '../app/ConfirmDialog';
import { formatBytes, formatDate, messageOf } from '../app/format';
import { ScreenHeading } from '../app/ScreenHeading';
import { useFiles } from '../api/files';
import { uploadErrorText, useDeleteFile, useUpload } from './useFiles';

export default function FilesScreen() {
  const files = useFiles();
  const upload = useUpload();
  const remove = useDeleteFile();
  const [dragging, setDragging] = useState(false);
  const [toDelete, setToDelete] = useState<PublicFile | null>(null);

  const start = (list: FileList | null) => {
    const file = list?.[0];
    if (file && !upload.isPending) upload.mutate(file);
  };
  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setDragging(false);
    start(event.dataTransfer.files);
  };
  const percent = upload.progress === null ? null : Math.round(upload.progress * 100);

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
        <p>Drop a résumé or document here, or pick one.</p>
        <label htmlFor="file-input">Choose a file to upload</label>
        <input
          id="file-input"
          type="file"
          accept=".pdf,.docx,.odt,.rtf,.txt,.md,application/pdf,text/plain,text/markdown"
          disabled={upload.isPending}
          onChange={(event) => {
            start(event.target.files);
            event.target.value = '';
          }}
        />
        <p className="hint">PDF, DOCX, ODT, RTF, text or Markdown.</p>
        {percent !== null && (
          <div className="upload-progress">
            <label htmlFor="upload-progress">Uploading: {percent}%</label>
            <progress id="upload-progress" max={100} value={percent}>
              {percent}%
            </progress>
          </div>
        )}
        {upload.isError && (
          <p role="alert" className="error">
            {uploadErrorText(upload.error)}
          </p>
        )}
        {upload.isSuccess && <p role="status">Uploaded {upload.data.name}.</p>}
      </div>
      {files.isError && <p role="alert">{messageOf(files.error)}</p>}
      {files.data && files.data.length === 0 && <p>No files yet.</p>}
      {files.data && files.data.length > 0 && (
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">Your files</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Type</th>
                <th scope="col">Size</th>
                <th scope="col">Uploaded</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {files.data.map((file) => (
                <tr key={file.id}>
                  <td>{file.name}</td>
                  <td>{file.contentType.split(';')[0]}</td>
                  <td>{formatBytes(file.size)}</td>
                  <td>{formatDate(file.createdAt)}</td>
                  <td className="row-actions">
                    <a href={api.fileContentUrl(file.id)} download={file.name} aria-label={`Download ${file.name}`}>
                      Download
                    </a>{' '}
                    <button type="button" className="link" aria-label={`Delete ${file.name}`} onClick={() => setToDelete(file)}>
                      Delete
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
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
