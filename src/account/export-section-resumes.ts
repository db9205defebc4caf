import { exportedVersion } from '../resumes/editing.js';
import { toStoredFeedback } from '../resumes/service.js';
import { listVersionsPage } from '../resumes/store.js';
import { PagedList } from './export-json.js';
import { readableTime } from './export-readable.js';
import { eachRow, groupBy, PAGE_ROWS, type ExportSection } from './export-section.js';
import * as store from './store.js';

export const resumesSection: ExportSection = {
  key: 'resumes',
  json: ({ db, userId }) =>
    new PagedList(PAGE_ROWS.large, (page) => store.listResumes(db, userId, page), async (rows) => {
      const feedback = rows.length ? groupBy(await store.listResumeFeedback(db, rows.map((r) => r.id)), (f) => f.resume_id) : new Map();
      return rows.map((row) => ({
        id: row.id,
        name: row.name,
        content: row.content,
        fileId: row.file_id,
        jobMatchId: row.job_match_id,
        revision: row.revision,
        createdAt: row.created_at,
        updatedAt: row.updated_at,
        feedback: (feedback.get(row.id) ?? []).map(toStoredFeedback),
      }));
    }),

  async readable({ db, userId }, doc) {
    await doc.html('<section>\n<h2>Résumés</h2>\n');
    let any = false;
    for await (const resume of eachRow(PAGE_ROWS.large, (page) => store.listResumes(db, userId, page))) {
      any = true;
      await doc.element('h3', resume.name);
      await doc.element('p', `Last changed ${readableTime(resume.updated_at)}`, 'meta');
      await doc.element('pre', resume.content);
    }
    if (!any) await doc.element('p', 'No résumés.', 'none');
    await doc.html('</section>\n');
  },
};

/** Every saved version of every résumé, oldest first per résumé (the edit history). */
export const resumeVersionsSection: ExportSection = {
  key: 'resumeVersions',
  json: ({ db, userId }) => new PagedList(PAGE_ROWS.large, (page) => listVersionsPage(db, userId, page), (rows) => rows.map(exportedVersion)),
};
