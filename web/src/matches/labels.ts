import { JOB_STATUSES } from '../api/routes';
import type { JobStatus } from '../api/types';

export const STATUS_LABELS: Record<JobStatus, string> = {
  saved: 'Saved',
  applied: 'Applied',
  interviewing: 'Interviewing',
  offer: 'Offer',
  closed: 'Closed',
};

export { JOB_STATUSES };

/** "1 job", "3 jobs". */
export const plural = (n: number, one: string, many: string) => `${n.toLocaleString()} ${n === 1 ? one : many}`;
