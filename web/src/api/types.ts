// The API's shapes, taken from the server's own types (type-only imports: nothing of the
// server reaches the bundle), so a change on the server breaks the web app's type-check.
export type { PublicUser as User, LoginResponse, MeResponse, UserResponse } from '../../../src/auth/responses.js';
export type { EmailChangePending, EmailResult, RecoveryMessage, ResetConfirmed } from '../../../src/recovery/responses.js';
export type { GuestWork, GuestWorkChoice } from '../../../src/account/guest-merge.js';
export type { Ps101Flow, Ps101Step, Ps101Prompt } from '../../../src/ps101/responses.js';
export type { Answers, RunDetail, RunList, RunSummary, WorkbookRun, WorkbookState } from '../../../src/ps101/responses.js';
export type { WorkbookUpdate } from '../../../src/ps101/service.js';
export type { ChatExchange, ChatMessage, ChatStreamEvent, MessagePage, MetricsHistory, MetricsPoint } from '../../../src/chat/responses.js';
export type { CoachMetrics } from '../../../src/coach/scores.js';
export type { FileList, PublicFile, UploadLimits } from '../../../src/files/responses.js';
export type { AccountExport } from '../../../src/account/responses.js';
export type {
  JobStatus,
  JobStatusChange,
  MatchStatus,
  MatchWithHistory,
  PublicJobMatch,
  Refresh,
  RefreshReason,
  StatusChange,
  TrackedJob,
  TrackedJobDetail,
  TrackedJobList,
  TrackedJobWithHistory,
} from '../../../src/jobs/responses.js';
export type { NewResume } from '../../../src/resumes/service.js';
export type { JobFields } from '../../../src/jobs/tracked-jobs.js';
export type {
  Comparison,
  DiffPart,
  FeedbackCheck,
  PublicResume,
  ResumeSummary,
  ResumeVersion,
  ResumeVersionSummary,
  StoredFeedback,
} from '../../../src/resumes/responses.js';

export type { WorkCounts as LegacyWork, LegacyClaim, LegacyPreview } from '../../../src/legacy/responses.js';
