/**
 * Every per-hour rate limit raised out of reach, for a server process that must take many
 * writes from few addresses (the soak, a backup under load) without 429s.
 */
export const RATE_LIMITS_RAISED = {
  RATE_LIMIT_GUESTS_PER_HOUR: '1000000',
  RATE_LIMIT_REGISTRATIONS_PER_HOUR: '1000000',
  RATE_LIMIT_CHAT_MESSAGES_PER_HOUR: '1000000',
  RATE_LIMIT_UPLOADS_PER_HOUR: '1000000',
  RATE_LIMIT_RESUMES_PER_HOUR: '1000000',
  RATE_LIMIT_FEEDBACK_PER_HOUR: '1000000',
  RATE_LIMIT_WORKBOOK_RESTARTS_PER_HOUR: '1000000',
  RATE_LIMIT_PASSWORD_RESETS_PER_HOUR: '1000000',
};
