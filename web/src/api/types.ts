// The API's shapes, taken from the server's own types (type-only imports: nothing of the
// server reaches the bundle), so a change on the server breaks the web app's type-check.
export type { PublicUser as User } from '../../../src/auth/service.js';
export type { Ps101Flow, Ps101Step, Ps101Prompt } from '../../../src/ps101/flow.js';
export type { Answers, RunSummary, WorkbookState, WorkbookUpdate } from '../../../src/ps101/service.js';
export type { ChatExchange, ChatMessage, ChatStreamEvent, MessagePage, MetricsHistory, MetricsPoint } from '../../../src/chat/responses.js';
export type { CoachMetrics } from '../../../src/coach/metrics.js';
export type { PublicFile } from '../../../src/files/service.js';
export type { MatchStatus, PublicJobMatch, RefreshReason, StatusChange } from '../../../src/jobs/service.js';
export type { NewResume, PublicResume, ResumeSummary, StoredFeedback } from '../../../src/resumes/service.js';

import type { RunSummary, Answers } from '../../../src/ps101/service.js';
import type { PublicJobMatch, StatusChange } from '../../../src/jobs/service.js';

export type WorkbookRun = RunSummary & { answers: Answers };
export type MatchWithHistory = PublicJobMatch & { history: StatusChange[] };

export type { WorkCounts as LegacyWork } from '../../../src/legacy/items.js';
