// Deadlines are calendar dates (YYYY-MM-DD) with no time zone: "due this week" is counted in
// the person's own days, from the browser's local date, never from UTC.

/** Today in the browser's time zone, as YYYY-MM-DD. */
export function localToday(now: Date = new Date()): string {
  return isoDate(now.getFullYear(), now.getMonth(), now.getDate());
}

function isoDate(year: number, monthIndex: number, day: number): string {
  return `${String(year).padStart(4, '0')}-${String(monthIndex + 1).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** Whole days from `from` to `to` (both YYYY-MM-DD); negative when `to` is earlier. */
export function daysBetween(from: string, to: string): number {
  const utc = (date: string) => {
    const [y, m, d] = date.split('-').map(Number) as [number, number, number];
    return Date.UTC(y, m - 1, d);
  };
  return Math.round((utc(to) - utc(from)) / 86_400_000);
}

/** Due in the next seven days, today included. */
export const DUE_SOON_DAYS = 7;

export type DeadlineState = 'overdue' | 'today' | 'soon' | 'later';

export function deadlineState(deadline: string, today: string): DeadlineState {
  const days = daysBetween(today, deadline);
  if (days < 0) return 'overdue';
  if (days === 0) return 'today';
  return days < DUE_SOON_DAYS ? 'soon' : 'later';
}

/** "Due today", "Due tomorrow", "Due Fri 12 Dec", "Overdue since 3 Dec". */
export function describeDeadline(deadline: string, today: string): string {
  const [y, m, d] = deadline.split('-').map(Number) as [number, number, number];
  const date = new Date(y, m - 1, d);
  const days = daysBetween(today, deadline);
  const dayMonth = date.toLocaleDateString(undefined, { day: 'numeric', month: 'short' });
  if (days < 0) return `Overdue since ${dayMonth}`;
  if (days === 0) return 'Due today';
  if (days === 1) return 'Due tomorrow';
  if (days < DUE_SOON_DAYS) return `Due ${date.toLocaleDateString(undefined, { weekday: 'short' })} ${dayMonth}`;
  return `Due ${date.toLocaleDateString(undefined, { day: 'numeric', month: 'short', year: 'numeric' })}`;
}
