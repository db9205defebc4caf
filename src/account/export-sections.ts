import { chatSection } from './export-section-chat.js';
import { filesSection } from './export-section-files.js';
import { jobMatchesSection, trackedJobsSection } from './export-section-jobs.js';
import { resumesSection, resumeVersionsSection } from './export-section-resumes.js';
import { sessionsSection } from './export-section-sessions.js';
import type { ExportSection } from './export-section.js';
import { workbookSection } from './export-section-workbook.js';

/**
 * The export's parts, in the order they appear in the JSON document and the readable one.
 * To add a capability's data: write an ExportSection in `export-section-<name>.ts` (see
 * export-section.ts) and add it here; its key must be new (export.test checks the document).
 */
export const EXPORT_SECTIONS: readonly ExportSection[] = [
  sessionsSection,
  workbookSection,
  chatSection,
  jobMatchesSection,
  trackedJobsSection,
  resumesSection,
  resumeVersionsSection,
  filesSection,
];
