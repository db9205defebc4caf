import { call } from '../api/client';
import { API } from '../api/routes';
import type { LegacyClaim, LegacyPreview } from '../api/types';

/** The earlier Mosaic's work found under this browser's old session id, and its claim. */
export const legacyApi = {
  preview: (sessionId: string) => call<LegacyPreview>(API.legacyPreview, { body: { sessionId } }),
  claim: (sessionId: string) => call<LegacyClaim>(API.legacyClaim, { body: { sessionId } }),
};
