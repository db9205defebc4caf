import { Type, type Static } from 'typebox';
import { Id, NullableInteger, OrNull, Timestamp } from '../http/response-schemas.js';

// Every shape the résumé API answers with. The service returns these types and the web app
// imports them (type-only) through web/src/api/types.ts: one source per shape.

const summaryFields = {
  id: Id,
  name: Type.String(),
  fileId: NullableInteger(),
  jobMatchId: NullableInteger(),
  /** The number of the current version; a save names it (a stale one is 409). */
  revision: Type.Integer({ minimum: 1 }),
  createdAt: Timestamp,
  updatedAt: Timestamp,
};

/** One line of the feedback checklist: passed, or advice to act on, never both. */
export const FeedbackCheck = Type.Union([
  Type.Object({ key: Type.String(), passed: Type.Literal(true), label: Type.String(), advice: Type.Null() }),
  Type.Object({ key: Type.String(), passed: Type.Literal(false), label: Type.String(), advice: Type.String() }),
]);
export type FeedbackCheck = Static<typeof FeedbackCheck>;

export const Feedback = Type.Object({
  id: Id,
  resumeId: Id,
  createdAt: Timestamp,
  length: Type.Object({
    words: Type.Integer(),
    verdict: Type.Union([Type.Literal('too_short'), Type.Literal('good'), Type.Literal('too_long')]),
    advice: Type.String(),
  }),
  quantifiedResults: Type.Object({ count: Type.Integer(), examples: Type.Array(Type.String()) }),
  actionVerbs: Type.Object({ count: Type.Integer(), found: Type.Array(Type.String()) }),
  summarySection: Type.Object({ present: Type.Boolean() }),
  jobMatch: OrNull(Type.Object({ id: Id, title: Type.String(), missingSkills: Type.Array(Type.String()) })),
  /** The advice of the checks that did not pass, in checklist order. */
  suggestions: Type.Array(Type.String()),
  checks: Type.Array(FeedbackCheck),
});
export type StoredFeedback = Static<typeof Feedback>;

export const ResumeSummary = Type.Object(summaryFields);
export type ResumeSummary = Static<typeof ResumeSummary>;

export const Resume = Type.Object({ ...summaryFields, content: Type.String(), feedback: Type.Array(Feedback) });
export type PublicResume = Static<typeof Resume>;

export const ResumeVersionSummary = Type.Object({
  revision: Type.Integer({ minimum: 1 }),
  createdAt: Timestamp,
  characters: Type.Integer(),
});
export type ResumeVersionSummary = Static<typeof ResumeVersionSummary>;

export const ResumeVersion = Type.Object({ ...ResumeVersionSummary.properties, content: Type.String() });
export type ResumeVersion = Static<typeof ResumeVersion>;

/** A stretch of a comparison: text in both versions, only in the newer (`insert`) or only in the older (`delete`). */
export const DiffPart = Type.Object({
  op: Type.Union([Type.Literal('equal'), Type.Literal('insert'), Type.Literal('delete')]),
  text: Type.String(),
});
export type DiffPart = Static<typeof DiffPart>;

export const Comparison = Type.Object({
  from: ResumeVersionSummary,
  to: ResumeVersionSummary,
  /** False when the versions differ too much to align word by word: whole changed lines are shown instead. */
  wordLevel: Type.Boolean(),
  parts: Type.Array(DiffPart),
});
export type Comparison = Static<typeof Comparison>;

export const ResumeResponse = Type.Object({ resume: Resume });
export const ResumeList = Type.Object({ resumes: Type.Array(ResumeSummary) });
export const FeedbackResponse = Type.Object({ feedback: Feedback });
export const VersionList = Type.Object({ versions: Type.Array(ResumeVersionSummary) });
export const VersionResponse = Type.Object({ version: ResumeVersion });
export const ComparisonResponse = Type.Object({ comparison: Comparison });

/** The résumé versions in the account export (kept apart from the export's other sections). */
export const ExportedResumeVersions = Type.Array(Type.Object({ resumeId: Id, ...ResumeVersion.properties }));

/** A version as a file: PDF, Word (DOCX) or UTF-8 text, sent as an attachment. */
export const ResumeDownload = Type.Unsafe<Buffer>({ type: 'string', format: 'binary', description: 'the version as PDF, DOCX or plain text' });
