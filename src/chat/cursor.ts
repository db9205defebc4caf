import { AppError } from '../errors.js';

// A page cursor is the id of the last message shown, base64url-encoded: clients treat it as
// opaque, so its form can change without breaking them.

export function encodeCursor(id: number): string {
  return Buffer.from(String(id), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): number {
  const text = /^[A-Za-z0-9_-]{1,24}$/.test(cursor) ? Buffer.from(cursor, 'base64url').toString('utf8') : '';
  const id = /^[1-9]\d{0,15}$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(id)) throw new AppError(400, 'invalid_cursor', 'The page cursor is not one this server gave out.');
  return id;
}
