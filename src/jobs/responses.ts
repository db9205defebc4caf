import { Type, type Static } from 'typebox';
import { Id, NullableInteger, NullableString, Timestamp } from '../http/response-schemas.js';
import { JOB_STATUSES, MATCH_STATUSES, type JobStatus, type MatchStatus } from './statuses.js';

export type { JobStatus, MatchStatus } from './statuses.js';

const Status = Type.Unsafe<MatchStatus>({ type: 'string', enum: [...MATCH_STATUSES] });
const NullableStatus = Type.Unsafe<MatchStatus | null>({ type: ['string', 'null'], enum: [...MATCH_STATUSES, null] });

export const PublicMatch = Type.Object({
  id: Id,
  roleId: Type.String(),
  title: Type.String(),
  field: Type.String(),
  score: Type.Number(),
  rank: NullableInteger({ description: 'position in the latest refresh; null once dropped out' }),
  current: Type.Boolean(),
  matchedSkills: Type.Array(Type.String()),
  matchedValues: Type.Array(Type.String()),
  /** The person's own words that made the match, most repeated first ("research", "interviews"). */
  matchedWords: Type.Array(Type.String(), { description: "the person's words behind the match, most used first" }),
  /** The score in words, e.g. "Matches your words: research, interviews; your value: autonomy". */
  explanation: Type.String(),
  entryPaths: Type.Array(Type.String()),
  status: NullableStatus,
  notes: NullableString(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type PublicJobMatch = Static<typeof PublicMatch>;

export const StatusChange = Type.Object({ fromStatus: NullableStatus, toStatus: Status, notes: NullableString(), createdAt: Timestamp });
export type StatusChange = Static<typeof StatusChange>;

export type RefreshReason = 'no_input' | 'no_match' | null;
export const Refresh = Type.Object({
  matches: Type.Array(PublicMatch),
  reason: Type.Unsafe<RefreshReason>({ type: ['string', 'null'], enum: ['no_input', 'no_match', null] }),
});
export type Refresh = Static<typeof Refresh>;
export const MatchList = Type.Object({ matches: Type.Array(PublicMatch) });
export const MatchWithHistory = Type.Object({ ...PublicMatch.properties, history: Type.Array(StatusChange) });
export type MatchWithHistory = Static<typeof MatchWithHistory>;
export const MatchDetail = Type.Object({ match: MatchWithHistory });

// The person's own jobs (the board).

const BoardStatus = Type.Unsafe<JobStatus>({ type: 'string', enum: [...JOB_STATUSES] });

export const TrackedJob = Type.Object({
  id: Id,
  title: Type.String(),
  company: NullableString(),
  url: NullableString({ description: 'http or https only' }),
  location: NullableString(),
  salary: NullableString({ description: 'free text, e.g. "£40–45k"' }),
  deadline: NullableString({ format: 'date', description: 'a calendar date, YYYY-MM-DD' }),
  contact: NullableString(),
  notes: NullableString(),
  status: BoardStatus,
  statusChangedAt: Timestamp,
  roleId: NullableString({ description: 'the catalogue role it was added from' }),
  version: Type.Integer({ minimum: 1, description: 'counts edits (not moves); send it back with an edit, a stale one answers 409' }),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type TrackedJob = Static<typeof TrackedJob>;

const NullableBoardStatus = Type.Unsafe<JobStatus | null>({ type: ['string', 'null'], enum: [...JOB_STATUSES, null] });
export const JobStatusChange = Type.Object({ fromStatus: NullableBoardStatus, toStatus: BoardStatus, createdAt: Timestamp });
export type JobStatusChange = Static<typeof JobStatusChange>;

export const TrackedJobWithHistory = Type.Object({ ...TrackedJob.properties, history: Type.Array(JobStatusChange) });
export type TrackedJobWithHistory = Static<typeof TrackedJobWithHistory>;

export const TrackedJobList = Type.Object({ jobs: Type.Array(TrackedJob), limit: Type.Integer({ description: 'most jobs one person may keep' }) });
export type TrackedJobList = Static<typeof TrackedJobList>;
export const TrackedJobDetail = Type.Object({ job: TrackedJobWithHistory });
export type TrackedJobDetail = Static<typeof TrackedJobDetail>;
