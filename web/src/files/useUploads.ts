import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError } from '../api/client';
import type { PublicFile } from '../api/types';
import { uploadFile } from '../api/upload';
import { actionConnectionProblem } from '../app/connection';
import { formatBytes } from '../app/format';
import { fileKeys } from './data';
import { ACCEPTED_TEXT } from './typeNames';

/** Why an upload was refused, in words, with the limit or the accepted types from the answer. */
export function uploadErrorText(error: unknown): string {
  if (!(error instanceof ApiError)) return 'The upload failed.';
  if (error.code === 'file_too_large') {
    const max = typeof error.details.maxBytes === 'number' ? formatBytes(error.details.maxBytes) : 'the limit';
    return `This file is too large: files can be at most ${max}.`;
  }
  if (error.code === 'quota_exceeded') return error.message;
  // The server's message names the accepted types; the list here is the fallback.
  if (error.code === 'unsupported_type') return `This kind of file is not accepted. ${error.message || `Accepted: ${ACCEPTED_TEXT}.`}`;
  if (error.code === 'empty_file') return 'This file is empty.';
  if (error.offline) return actionConnectionProblem(error) ?? 'The upload did not reach Mosaic.';
  return error.message;
}

export type UploadState = 'waiting' | 'uploading' | 'done' | 'failed';

export interface UploadItem {
  key: number;
  name: string;
  size: number;
  state: UploadState;
  /** 0–1 while uploading. */
  progress: number;
  /** Why it failed, in words. */
  error?: string;
  stored?: PublicFile;
}

let nextKey = 1;

/**
 * Files chosen or dropped together, uploaded one after another (each waits for the one before:
 * the server takes a few at once, and one at a time keeps each one's progress meaningful), each
 * with its own outcome. A file over the known size limit is refused here, without sending it.
 */
export function useUploads(maxFileBytes: number | undefined) {
  const client = useQueryClient();
  const [items, setItems] = useState<UploadItem[]>([]);
  const files = useRef(new Map<number, File>());
  const started = useRef(new Set<number>());
  const update = useCallback((key: number, change: Partial<UploadItem>) => {
    setItems((list) => list.map((item) => (item.key === key ? { ...item, ...change } : item)));
  }, []);

  const add = useCallback(
    (chosen: Iterable<File>) => {
      const added: UploadItem[] = [];
      for (const file of chosen) {
        const key = nextKey++;
        const tooLarge = maxFileBytes !== undefined && file.size > maxFileBytes;
        if (!tooLarge) files.current.set(key, file);
        added.push({
          key,
          name: file.name,
          size: file.size,
          state: tooLarge ? 'failed' : 'waiting',
          progress: 0,
          ...(tooLarge ? { error: `This file is too large: files can be at most ${formatBytes(maxFileBytes)}.` } : {}),
        });
      }
      // A new choice starts a new list: outcomes of earlier ones (already announced) make way.
      setItems((list) => [...list.filter((item) => item.state === 'waiting' || item.state === 'uploading'), ...added]);
    },
    [maxFileBytes],
  );

  const busy = items.some((item) => item.state === 'uploading');
  const next = items.find((item) => item.state === 'waiting');
  useEffect(() => {
    if (busy || !next) return;
    const file = files.current.get(next.key);
    // Once per item, even when React runs the effect twice (StrictMode in development).
    if (!file || started.current.has(next.key)) return;
    started.current.add(next.key);
    update(next.key, { state: 'uploading' });
    const handle = uploadFile(file, (progress) => update(next.key, { progress }));
    handle.done.then(
      (stored) => {
        files.current.delete(next.key);
        update(next.key, { state: 'done', progress: 1, stored });
        void client.invalidateQueries({ queryKey: fileKeys.all });
      },
      (error: unknown) => {
        files.current.delete(next.key);
        update(next.key, { state: 'failed', error: uploadErrorText(error) });
      },
    );
  }, [busy, next, update, client]);

  const clearFinished = useCallback(() => setItems((list) => list.filter((item) => item.state === 'waiting' || item.state === 'uploading')), []);
  return { items, add, clearFinished, busy: busy || next !== undefined };
}
