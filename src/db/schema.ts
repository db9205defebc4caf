import type { Generated } from 'kysely';

/**
 * The tables as the application sees them. Conventions that hold on both backends:
 * - timestamps are ISO-8601 UTC strings with milliseconds (`2026-01-01T00:00:00.000Z`);
 *   PostgreSQL stores timestamptz(3), SQLite stores that exact text;
 * - JSON columns are read as JSON text on both (see `readJson`), written with `JSON.stringify`;
 * - booleans are written as JS booleans (SQLite gets 0/1 from the statement cache, `cachingSqliteDatabase`) and
 *   read through `readBool`.
 */
export interface UsersTable {
  id: Generated<number>;
  /** Trimmed and lower-cased; null for a guest who has not registered yet. */
  email: string | null;
  password_hash: string | null;
  created_at: string;
  updated_at: string;
  /** Last time a session of this user was used; guests idle past GUEST_TTL_DAYS are purged. */
  last_active_at: string;
  /** When the current email was confirmed through a mailed link; null until then. */
  email_verified_at: string | null;
}

export interface SessionsTable {
  id: Generated<number>;
  user_id: number;
  /** SHA-256 (hex) of the cookie token; the token itself is never stored. */
  token_hash: string;
  created_at: string;
  expires_at: string;
  refreshed_at: string;
  user_agent: string | null;
  ip: string | null;
}

export interface LoginFailuresTable {
  id: Generated<number>;
  /** `email:<address>` or `ip:<address>`. */
  subject: string;
  failed_at: string;
}

export interface RateLimitsTable {
  /** `<rule>:<subject>`, e.g. `password-checks-email:ann@example.org` or `uploads:user:42`. */
  bucket: string;
  /** Hits counted in the current window (a reserved password check counts until released). */
  hits: number;
  window_start: string;
  /** When the window ends: the count starts again from zero, and the purge may delete the row. */
  expires_at: string;
}

/** A browser that logged in to the account (see auth/devices.ts). */
export interface LoginDevicesTable {
  user_id: number;
  /** SHA-256 (hex) of the device cookie's token; the token itself is never stored. */
  token_hash: string;
  last_login_at: string;
}

export interface Ps101RunsTable {
  id: Generated<number>;
  user_id: number;
  flow_version: number;
  current_step: number;
  revision: number;
  /** JSON text: {"<step>.<prompt>": "answer"}. */
  answers: string;
  started_at: string;
  updated_at: string;
  completed_at: string | null;
  /** Set when the person restarts the workbook; the live run has null. */
  archived_at: string | null;
}

export interface ChatMessagesTable {
  id: Generated<number>;
  user_id: number;
  role: 'user' | 'coach';
  content: string;
  provider: string | null;
  created_at: string;
}

export interface CoachMetricsTable {
  id: Generated<number>;
  user_id: number;
  /** The coach reply these metrics came with. */
  message_id: number;
  clarity: number;
  action: number;
  momentum: number;
  created_at: string;
}

export interface FilesTable {
  id: Generated<number>;
  user_id: number;
  name: string;
  content_type: string;
  size: number;
  sha256: string;
  text_content: string | null;
  created_at: string;
}

export interface FileContentsTable {
  file_id: number;
  content: Buffer;
}

export interface JobMatchesTable {
  id: Generated<number>;
  user_id: number;
  /** The catalogue role's stable id. */
  role_id: string;
  title: string;
  field: string;
  score: number;
  rank: number | null;
  /** JSON text: string[]. */
  matched_skills: string;
  /** JSON text: string[]. */
  matched_values: string;
  /** JSON text: string[], the person's words behind the match (migration 0010; null before it). */
  matched_words: string | null;
  current: boolean | number;
  status: string | null;
  notes: string | null;
  created_at: string;
  updated_at: string;
}

export interface JobMatchEventsTable {
  id: Generated<number>;
  job_match_id: number;
  from_status: string | null;
  to_status: string;
  notes: string | null;
  created_at: string;
}

/** The person's own jobs on the board (migration 0010). */
export interface TrackedJobsTable {
  id: Generated<number>;
  user_id: number;
  title: string;
  company: string | null;
  url: string | null;
  location: string | null;
  salary: string | null;
  /** A calendar date, `YYYY-MM-DD`. */
  deadline: string | null;
  contact: string | null;
  notes: string | null;
  status: string;
  /** The catalogue role the job was added from, if any. */
  role_id: string | null;
  version: number;
  status_changed_at: string;
  created_at: string;
  updated_at: string;
}

export interface TrackedJobEventsTable {
  id: Generated<number>;
  tracked_job_id: number;
  from_status: string | null;
  to_status: string;
  created_at: string;
}

export interface ResumesTable {
  id: Generated<number>;
  user_id: number;
  name: string;
  content: string;
  file_id: number | null;
  job_match_id: number | null;
  created_at: string;
  updated_at: string;
  /** The number of the current version (migration 0011). */
  revision: Generated<number>;
}

/** One saved text of a résumé; the newest few per résumé are kept (src/resumes/service.ts). */
export interface ResumeVersionsTable {
  id: Generated<number>;
  resume_id: number;
  revision: number;
  content: string;
  created_at: string;
}

export interface ResumeFeedbackTable {
  id: Generated<number>;
  resume_id: number;
  /** JSON text: the feedback document. */
  feedback: string;
  created_at: string;
}

export interface LegacyAccountsTable {
  /** The predecessor's `users.id` (a UUID string). */
  legacy_id: string;
  /** Null once the account was deleted; the row stays so a re-run does not bring it back. */
  user_id: number | null;
  /** The legacy address, normalized: a case-variant duplicate logs in with it (src/legacy/accounts.ts). */
  email: string;
  imported_at: string;
}

export interface LegacySessionsTable {
  /** SHA-256 (hex) of the legacy session id, lower-cased; the id itself is never stored. */
  session_hash: string;
  imported_at: string;
  claimed_at: string | null;
  claimed_by: number | null;
  /** Set when the purge removed the work after LEGACY_CLAIM_DAYS unclaimed. */
  removed_at: string | null;
}

export interface LegacyItemsTable {
  id: Generated<number>;
  session_hash: string;
  /** `ps101`, `chat`, `job_match`, `resume`, `file` (src/legacy/items.ts). */
  kind: string;
  /** `<legacy table>:<legacy row id>`. */
  legacy_id: string;
  created_at: string;
  /** JSON text: the item mapped to Mosaic's shape. */
  data: string;
  /** A file's bytes; null for every other kind. */
  content: Buffer | null;
}

export interface MailOutboxTable {
  id: Generated<number>;
  /** What the mail is about (`password_reset`, `verify_email`, …), for logs and metrics. */
  kind: string;
  recipient: string;
  subject: string;
  /** The bodies hold the mail's link (its token): emptied once the mail is sent or given up. */
  text_body: string;
  html_body: string;
  /** The request that asked for the mail, so its delivery can be found in the logs. */
  request_id: string | null;
  state: 'pending' | 'sent' | 'failed';
  /** Delivery attempts started, including one under way. */
  attempts: number;
  created_at: string;
  /** When the mail is due; while an instance delivers it, the end of that instance's lease. */
  next_attempt_at: string;
  /** Past this the mail is no use (its link has expired) and is marked failed. */
  give_up_at: string;
  finished_at: string | null;
  last_error: string | null;
}

export interface AccountTokensTable {
  id: Generated<number>;
  user_id: number;
  purpose: 'password_reset' | 'verify_email' | 'change_email';
  /** SHA-256 (hex) of the token in the mailed link; the token itself is never stored. */
  token_hash: string;
  /** The address the token was mailed to (for an address change: the new address). */
  email: string;
  created_at: string;
  expires_at: string;
}

export interface DB {
  users: UsersTable;
  sessions: SessionsTable;
  login_failures: LoginFailuresTable;
  rate_limits: RateLimitsTable;
  login_devices: LoginDevicesTable;
  ps101_runs: Ps101RunsTable;
  chat_messages: ChatMessagesTable;
  coach_metrics: CoachMetricsTable;
  files: FilesTable;
  file_contents: FileContentsTable;
  job_matches: JobMatchesTable;
  job_match_events: JobMatchEventsTable;
  tracked_jobs: TrackedJobsTable;
  tracked_job_events: TrackedJobEventsTable;
  resumes: ResumesTable;
  resume_feedback: ResumeFeedbackTable;
  resume_versions: ResumeVersionsTable;
  legacy_accounts: LegacyAccountsTable;
  legacy_sessions: LegacySessionsTable;
  legacy_items: LegacyItemsTable;
  mail_outbox: MailOutboxTable;
  account_tokens: AccountTokensTable;
}
