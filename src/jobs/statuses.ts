// The status lists, in a leaf module so the response schemas and the services share them
// without importing each other.

/** Tracking states of a catalogue match (the API of before the board; kept for old data and legacy imports). */
export const MATCH_STATUSES = ['saved', 'applied', 'interviewing', 'offer', 'rejected', 'archived'] as const;
export type MatchStatus = (typeof MATCH_STATUSES)[number];

/** The board's columns, in the order an application goes through them. */
export const JOB_STATUSES = ['saved', 'applied', 'interviewing', 'offer', 'closed'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

/** A match's tracking status on the board: an ended application (rejected, archived) is closed. */
export function boardStatusOf(status: MatchStatus | null): JobStatus {
  if (status === null) return 'saved';
  return status === 'rejected' || status === 'archived' ? 'closed' : status;
}
