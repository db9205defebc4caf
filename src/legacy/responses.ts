import { Type, type Static } from 'typebox';

export const LegacyWork = Type.Object({
  workbookResponses: Type.Integer({ minimum: 0 }),
  chatExchanges: Type.Integer({ minimum: 0 }),
  jobMatches: Type.Integer({ minimum: 0 }),
  resumes: Type.Integer({ minimum: 0 }),
  files: Type.Integer({ minimum: 0 }),
});
/** What a claim brought, or a preview found: one count per kind. */
export type WorkCounts = Static<typeof LegacyWork>;

export const LegacyPreview = Type.Object({ found: LegacyWork });
export const LegacyClaim = Type.Object({ claimed: LegacyWork });
export type LegacyPreview = Static<typeof LegacyPreview>;
export type LegacyClaim = Static<typeof LegacyClaim>;
