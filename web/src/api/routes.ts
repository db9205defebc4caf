/**
 * Every API route the web app calls, in one table. `src/web-hosting/api-routes.test.ts` checks each
 * entry against the server's route table, so a renamed or removed route fails `npm test`.
 */
export const API = {
  register: { method: 'POST', path: '/api/auth/register' },
  guest: { method: 'POST', path: '/api/auth/guest' },
  login: { method: 'POST', path: '/api/auth/login' },
  logout: { method: 'POST', path: '/api/auth/logout' },
  logoutAll: { method: 'POST', path: '/api/auth/logout-all' },
  me: { method: 'GET', path: '/api/auth/me' },
  changePassword: { method: 'POST', path: '/api/auth/password' },
  requestPasswordReset: { method: 'POST', path: '/api/auth/password-reset' },
  confirmPasswordReset: { method: 'POST', path: '/api/auth/password-reset/confirm' },
  verifyEmail: { method: 'POST', path: '/api/auth/verify-email' },
  resendVerification: { method: 'POST', path: '/api/auth/verify-email/resend' },
  changeEmail: { method: 'POST', path: '/api/auth/email' },
  confirmEmailChange: { method: 'POST', path: '/api/auth/email/confirm' },
  flow: { method: 'GET', path: '/api/ps101/flow' },
  workbook: { method: 'GET', path: '/api/ps101' },
  saveWorkbook: { method: 'PUT', path: '/api/ps101' },
  restartWorkbook: { method: 'POST', path: '/api/ps101/restart' },
  workbookRuns: { method: 'GET', path: '/api/ps101/runs' },
  workbookRun: { method: 'GET', path: '/api/ps101/runs/:id' },
  sendMessage: { method: 'POST', path: '/api/chat/messages' },
  replyToMessage: { method: 'POST', path: '/api/chat/messages/:id/reply' },
  messages: { method: 'GET', path: '/api/chat/messages' },
  metrics: { method: 'GET', path: '/api/chat/metrics' },
  uploadFile: { method: 'POST', path: '/api/files' },
  files: { method: 'GET', path: '/api/files' },
  fileContent: { method: 'GET', path: '/api/files/:id/content' },
  deleteFile: { method: 'DELETE', path: '/api/files/:id' },
  refreshMatches: { method: 'POST', path: '/api/jobs/matches/refresh' },
  matches: { method: 'GET', path: '/api/jobs/matches' },
  match: { method: 'GET', path: '/api/jobs/matches/:id' },
  trackMatch: { method: 'PATCH', path: '/api/jobs/matches/:id' },
  addMatchToJobs: { method: 'POST', path: '/api/jobs/matches/:id/track' },
  jobs: { method: 'GET', path: '/api/jobs/tracked' },
  createJob: { method: 'POST', path: '/api/jobs/tracked' },
  job: { method: 'GET', path: '/api/jobs/tracked/:id' },
  editJob: { method: 'PATCH', path: '/api/jobs/tracked/:id' },
  moveJob: { method: 'PUT', path: '/api/jobs/tracked/:id/status' },
  deleteJob: { method: 'DELETE', path: '/api/jobs/tracked/:id' },
  createResume: { method: 'POST', path: '/api/resumes' },
  resumes: { method: 'GET', path: '/api/resumes' },
  resume: { method: 'GET', path: '/api/resumes/:id' },
  deleteResume: { method: 'DELETE', path: '/api/resumes/:id' },
  resumeFeedback: { method: 'POST', path: '/api/resumes/:id/feedback' },
  saveResume: { method: 'PUT', path: '/api/resumes/:id' },
  renameResume: { method: 'PATCH', path: '/api/resumes/:id' },
  duplicateResume: { method: 'POST', path: '/api/resumes/:id/duplicate' },
  resumeVersions: { method: 'GET', path: '/api/resumes/:id/versions' },
  resumeVersion: { method: 'GET', path: '/api/resumes/:id/versions/:revision' },
  compareResumeVersions: { method: 'GET', path: '/api/resumes/:id/compare' },
  downloadResume: { method: 'GET', path: '/api/resumes/:id/versions/:revision/download' },
  exportData: { method: 'GET', path: '/api/me/export' },
  exportArchive: { method: 'GET', path: '/api/me/export.zip' },
  deleteAccount: { method: 'DELETE', path: '/api/me' },
  legacyPreview: { method: 'POST', path: '/api/legacy/preview' },
  legacyClaim: { method: 'POST', path: '/api/legacy/claim' },
} as const satisfies Record<string, ApiRoute>;

export interface ApiRoute {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
}

export type RouteName = keyof typeof API;

/** The route's path with its `:param`s filled in (URI-encoded). */
export function pathOf(route: ApiRoute, params: Record<string, string | number> = {}): string {
  return route.path.replace(/:([a-zA-Z]+)/g, (_match, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`missing path parameter ${name} for ${route.path}`);
    return encodeURIComponent(String(value));
  });
}

// The server's rules the forms show before submitting. Kept here because the server modules
// that define them import server-only code; api-routes.test.ts checks they are equal.
export const PASSWORD_RULES = { minLength: 8, maxLength: 1024 } as const;
export const MATCH_STATUSES = ['saved', 'applied', 'interviewing', 'offer', 'rejected', 'archived'] as const;
export const JOB_STATUSES = ['saved', 'applied', 'interviewing', 'offer', 'closed'] as const;
export const JOB_FIELD_MAX = { title: 200, company: 200, url: 2_000, location: 200, salary: 100, contact: 500, notes: 10_000 } as const;
export const ANSWER_MAX_CHARS = 20_000;
export const MESSAGE_MAX_CHARS = 8_000;
