import { call } from '../api/client';
import { API, pathOf } from '../api/routes';

/** The account's query keys (it has no query of its own yet: who is signed in is session.ts's). */
export const accountKeys = {
  all: ['account'] as const,
};

/** Everything as one pretty-printed JSON file. */
export const exportJsonUrl = () => pathOf(API.exportData);
/** The JSON, a document to read offline (HTML) and the original files, as one zip. */
export const exportArchiveUrl = () => pathOf(API.exportArchive);

/** Deletes the account; a guest has no password to give. */
export const deleteAccount = (password: string | undefined) =>
  call<void>(API.deleteAccount, { body: password === undefined ? {} : { password } });
