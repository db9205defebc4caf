import { Type } from 'typebox';

export const LegacyWork = Type.Object({
  workbookResponses: Type.Integer({ minimum: 0 }),
  chatExchanges: Type.Integer({ minimum: 0 }),
  jobMatches: Type.Integer({ minimum: 0 }),
  resumes: Type.Integer({ minimum: 0 }),
  files: Type.Integer({ minimum: 0 }),
});

export const LegacyPreview = Type.Object({ found: LegacyWork });
export const LegacyClaim = Type.Object({ claimed: LegacyWork });
