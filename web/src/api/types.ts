// The API's shapes, taken from the server's own types (type-only imports: nothing of the
// server reaches the bundle), so a change on the server breaks the web app's type-check.
export type { PublicUser as User } from '../../../src/auth/service.js';
export type { Ps101Flow, Ps101Step, Ps101Prompt } from '../../../src/ps101/flow.js';
export type { Answers, RunSummary, WorkbookState, WorkbookUpdate } from '../../../src/ps101/service.js';
export type { ChatExchange, ChatMessage, MetricsPoint } from '../../../src/chat/service.js';
export type { CoachMetrics } from '../../../src/coach/metrics.js';
export type { FileList, PublicFile, UploadLimits } from '../../../src/files/responses.js';
export type { AccountExport } from '../../../src/account/responses.js';
export type { MatchStatus, PublicJobMatch, RefreshReason, StatusChange } from '../../../src/jobs/service.js';
export type { NewResume, PublicResume, ResumeSummary, StoredFeedback } from '../../../src/resumes/service.js';

import type { RunSummary, Answers } from '../../../src/ps101/service.js';
import type { PublicJobMatch, StatusChange } from '../../../src/jobs/service.js';
import type { ChatMessage, MetricsPoint } from '../../../src/chat/service.js';

export type WorkbookRun = RunSummary & { answers: Answers };
export type MatchWithHistory = PublicJobMatch & { history: StatusChange[] };
export interface MessagePage {
  messages: ChatMessage[];
  nextCursor: string | null;
}
export interface MetricsHistory {
  latest: MetricsPoint | null;
  history: MetricsPoint[];
}

export type { WorkCounts as LegacyWork } from '../../../src/legacy/items.js';
