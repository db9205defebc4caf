import { Type } from 'typebox';
import { Exchange } from '../chat/responses.js';
import { Id, NullableString, NullableTimestamp, Timestamp } from '../http/response-schemas.js';
import { PublicFile } from '../files/responses.js';
import { MatchDetail, TrackedJobWithHistory } from '../jobs/responses.js';
import { ExportedResumeVersions, Resume } from '../resumes/responses.js';

/** `GET /api/me/export`: everything the person owns. */
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
        answers: Type.Unsafe<Record<string, unknown>>({ type: 'object', additionalProperties: true }),
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
    }),
  ),
});
