// The API's shapes, taken from the server's own types (type-only imports: nothing of the
// server reaches the bundle), so a change on the server breaks the web app's type-check.
export type { PublicUser as User } from '../../../src/auth/service.js';
export type { Ps101Flow, Ps101Step, Ps101Prompt } from '../../../src/ps101/flow.js';
export type { Answers, RunSummary, WorkbookState, WorkbookUpdate } from '../../../src/ps101/service.js';
export type { ChatExchange, ChatMessage, MetricsPoint } from '../../../src/chat/service.js';
export type { CoachMetrics } from '../../../src/coach/metrics.js';
export type { PublicFile } from '../../../src/files/service.js';
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
export type { NewResume, PublicResume, ResumeSummary, StoredFeedback } from '../../../src/resumes/service.js';

import type { RunSummary, Answers } from '../../../src/ps101/service.js';
import type { ChatMessage, MetricsPoint } from '../../../src/chat/service.js';

export type WorkbookRun = RunSummary & { answers: Answers };
export interface MessagePage {
  messages: ChatMessage[];
  nextCursor: string | null;
}
export interface MetricsHistory {
  latest: MetricsPoint | null;
  history: MetricsPoint[];
}

export type { WorkCounts as LegacyWork } from '../../../src/legacy/items.js';
