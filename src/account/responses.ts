import { Type, type Static } from 'typebox';
import { Exchange } from '../chat/responses.js';
import { Id, NullableString, NullableTimestamp, Timestamp } from '../http/response-schemas.js';
import { PublicFile } from '../files/responses.js';
import { MatchDetail, TrackedJobWithHistory } from '../jobs/responses.js';
import { ExportedResumeVersions, Resume } from '../resumes/responses.js';

/** A workbook answer with the question it answers. */
export const ExportedAnswer = Type.Object({
  key: Type.String({ description: '"<step>.<prompt>", 1-based' }),
  step: Type.Integer(),
  stepTitle: NullableString(),
  question: NullableString({ description: 'null for runs of an earlier workbook, whose wording was not kept' }),
  answer: Type.String(),
});
export type ExportedAnswer = Static<typeof ExportedAnswer>;

/** `GET /api/me/export`: everything the person owns, pretty-printed. */
export const AccountExport = Type.Object({
  formatVersion: Type.Integer(),
  exportedAt: Timestamp,
  account: Type.Object({
    id: Id,
    email: NullableString(),
    guest: Type.Boolean(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
    lastActiveAt: Timestamp,
  }),
  sessions: Type.Array(
    Type.Object({
      id: Id,
      createdAt: Timestamp,
      expiresAt: Timestamp,
      refreshedAt: Timestamp,
      userAgent: NullableString(),
      ip: NullableString(),
    }),
  ),
  workbook: Type.Object({
    runs: Type.Array(
      Type.Object({
        id: Id,
        flowVersion: Type.Integer(),
        currentStep: Type.Integer(),
        revision: Type.Integer(),
        answers: Type.Array(ExportedAnswer, { description: 'the non-empty answers in the workbook order' }),
        startedAt: Timestamp,
        updatedAt: Timestamp,
        completedAt: NullableTimestamp,
        archivedAt: NullableTimestamp,
      }),
    ),
  }),
  chat: Type.Object({
    messages: Type.Array(Exchange.properties.message),
    metrics: Type.Array(
      Type.Object({ id: Id, messageId: Id, ...Exchange.properties.metrics.properties, createdAt: Timestamp }),
    ),
  }),
  jobMatches: Type.Array(MatchDetail.properties.match),
  /** The person's own jobs on the board, with their status history. */
  trackedJobs: Type.Array(TrackedJobWithHistory),
  resumes: Type.Array(Resume),
  resumeVersions: ExportedResumeVersions,
  files: Type.Array(
    Type.Object({
      ...PublicFile.properties,
      textContent: NullableString(),
      contentBase64: Type.Optional(NullableString({ description: 'with includeFiles only' })),
      path: Type.Optional(Type.String({ description: 'in the zip only: where the original file is inside it' })),
    }),
  ),
});
export type AccountExport = Static<typeof AccountExport>;

/** `GET /api/me/export.zip`: the JSON, a readable HTML document and the original files. */
export const AccountArchive = Type.Unsafe<Buffer>({
  type: 'string',
  format: 'binary',
  description: 'a zip: mosaic-export.json, mosaic-export.html (open it in a browser) and files/<id>-<name>',
});
