import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ApiError, api } from '../api/client';
import { FILES_KEY } from '../api/files';
import { uploadFile } from '../api/upload';
import { formatBytes } from '../app/format';

const ACCEPTED = 'PDF, DOCX, ODT, RTF, plain text (.txt) and Markdown (.md)';

/** Why an upload was refused, in words, with the limit or the accepted types from the answer. */
export function uploadErrorText(error: unknown): string {
  if (!(error instanceof ApiError)) return 'The upload failed.';
  if (error.code === 'file_too_large') {
    const max = typeof error.details.maxBytes === 'number' ? formatBytes(error.details.maxBytes) : 'the limit';
    return `This file is too large: files can be at most ${max}.`;
  }
  // The server's message names the accepted types; the list here is the fallback.
  if (error.code === 'unsupported_type') return `This kind of file is not accepted. ${error.message || `Accepted types: ${ACCEPTED}.`}`;
  if (error.code === 'empty_file') return 'This file is empty.';
  if (error.offline) return 'The upload did not reach the server: check your connection, or the file may be too large.';
  return error.message;
}

/** One upload at a time, with its progress as a fraction of the bytes sent. */
export function useUpload() {
  const client = useQueryClient();
  const [progress, setProgress] = useState<number | null>(null);
  const mutation = useMutation({
    mutationFn: (file: File) => {
      setProgress(0);
      return uploadFile(file, setProgress).done;
    },
    onSuccess: () => void client.invalidateQueries({ queryKey: FILES_KEY }),
    onSettled: () => setProgress(null),
  });
  return { ...mutation, progress };
}

export function useDeleteFile() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: number) => api.deleteFile(id),
    onSuccess: () => void client.invalidateQueries({ queryKey: FILES_KEY }),
  });
}
