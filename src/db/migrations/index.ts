import type { Migration } from 'kysely';
import * as accounts from './0001_accounts.js';
import * as workbookChat from './0002_workbook_chat.js';
import * as filesJobsResumes from './0003_files_jobs_resumes.js';
import * as rateLimits from './0004_rate_limits.js';
import * as chatActivityIndex from './0005_chat_activity_index.js';
import * as legacyImport from './0006_legacy_import.js';
import * as mailOutbox from './0007_mail_outbox.js';
import * as loginDevices from './0008_login_devices.js';
import * as trackedJobs from './0010_tracked_jobs.js';
import * as resumeVersions from './0011_resume_versions.js';

/**
 * Every migration, by name. Names sort in the order they apply; a new capability adds its
 * file and one line here. Listed statically (not read from the folder) so the same list
 * works from the sources, from dist/, and in any bundle.
 */
export const migrations: Record<string, Migration> = {
  '0001_accounts': accounts,
  '0002_workbook_chat': workbookChat,
  '0003_files_jobs_resumes': filesJobsResumes,
  '0004_rate_limits': rateLimits,
  '0005_chat_activity_index': chatActivityIndex,
  '0006_legacy_import': legacyImport,
  '0007_mail_outbox': mailOutbox,
  '0008_login_devices': loginDevices,
  '0010_tracked_jobs': trackedJobs,
  '0011_resume_versions': resumeVersions,
};
