import { toPublicMatch, toStatusChange } from '../jobs/service.js';
import { toJobStatusChange, toTrackedJob } from '../jobs/tracked-jobs.js';
import { PagedList } from './export-json.js';
import { readableTime } from './export-readable.js';
import { eachRow, groupBy, PAGE_ROWS, type ExportSection } from './export-section.js';
import * as store from './store.js';

export const jobMatchesSection: ExportSection = {
  key: 'jobMatches',
  json: ({ db, userId }) =>
    new PagedList(PAGE_ROWS.small, (page) => store.listJobMatches(db, userId, page), async (rows) => {
      const events = rows.length ? groupBy(await store.listJobMatchEvents(db, rows.map((r) => r.id)), (e) => e.job_match_id) : new Map();
      return rows.map((row) => ({ ...toPublicMatch(row), history: (events.get(row.id) ?? []).map(toStatusChange) }));
    }),
};

/** The person's own jobs (the board), each with its dated status history. */
export const trackedJobsSection: ExportSection = {
  key: 'trackedJobs',
  json: ({ db, userId }) =>
    new PagedList(PAGE_ROWS.small, (page) => store.listTrackedJobs(db, userId, page), async (rows) => {
      const events = rows.length ? groupBy(await store.listTrackedJobEvents(db, rows.map((r) => r.id)), (e) => e.tracked_job_id) : new Map();
      return rows.map((row) => ({ ...toTrackedJob(row), history: (events.get(row.id) ?? []).map(toJobStatusChange) }));
    }),

  async readable({ db, userId }, doc) {
    await doc.html('<section>\n<h2>My jobs</h2>\n');
    let any = false;
    for await (const row of eachRow(PAGE_ROWS.small, (page) => store.listTrackedJobs(db, userId, page))) {
      any = true;
      const job = toTrackedJob(row);
      await doc.element('h3', job.company ? `${job.title} — ${job.company}` : job.title);
      await doc.element('p', `Status: ${job.status}. Last changed ${readableTime(job.updatedAt)}`, 'meta');
      if (job.notes) await doc.element('pre', job.notes);
    }
    if (!any) await doc.element('p', 'No jobs of your own yet.', 'none');
    await doc.html('</section>\n');
  },
};
