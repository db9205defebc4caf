import { toPublicMatch, toStatusChange } from '../jobs/service.js';
import { PagedList } from './export-json.js';
import { groupBy, PAGE_ROWS, type ExportSection } from './export-section.js';
import * as store from './store.js';

export const jobMatchesSection: ExportSection = {
  key: 'jobMatches',
  json: ({ db, userId }) =>
    new PagedList(PAGE_ROWS.small, (page) => store.listJobMatches(db, userId, page), async (rows) => {
      const events = rows.length ? groupBy(await store.listJobMatchEvents(db, rows.map((r) => r.id)), (e) => e.job_match_id) : new Map();
      return rows.map((row) => ({ ...toPublicMatch(row), history: (events.get(row.id) ?? []).map(toStatusChange) }));
    }),
};
