import { EXPECTED_USER_HEADER, signedInUserId, toApiError, offlineError, type ApiError } from './client';
import { API } from './routes';
import type { PublicFile } from './types';

export interface UploadHandle {
  done: Promise<PublicFile>;
  abort(): void;
}

/**
 * Uploads one file as multipart/form-data through XMLHttpRequest, whose upload progress events
 * report bytes sent (fetch has none), calling `onProgress` with a fraction from 0 to 1.
 */
export function uploadFile(file: File, onProgress: (fraction: number) => void): UploadHandle {
  const xhr = new XMLHttpRequest();
  const done = new Promise<PublicFile>((resolve, reject: (error: ApiError) => void) => {
    xhr.upload.addEventListener('progress', (event) => {
      if (event.lengthComputable && event.total > 0) onProgress(event.loaded / event.total);
    });
    xhr.addEventListener('load', () => {
      let body: unknown;
      try {
        body = JSON.parse(xhr.responseText) as unknown;
      } catch {
        body = undefined;
      }
      if (xhr.status === 201 && typeof body === 'object' && body !== null && 'file' in body) {
        onProgress(1);
        resolve((body as { file: PublicFile }).file);
      } else {
        reject(toApiError(API.uploadFile, xhr.status, body, xhr.getResponseHeader('retry-after')));
      }
    });
    xhr.addEventListener('error', () => reject(offlineError()));
    xhr.addEventListener('abort', () => reject(offlineError()));
    xhr.open(API.uploadFile.method, API.uploadFile.path);
    xhr.setRequestHeader('accept', 'application/json');
    const user = signedInUserId();
    if (user !== null) xhr.setRequestHeader(EXPECTED_USER_HEADER, String(user));
    const form = new FormData();
    form.append('file', file, file.name);
    xhr.send(form);
  });
  return { done, abort: () => xhr.abort() };
}
