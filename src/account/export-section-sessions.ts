import { PagedList } from './export-json.js';
import { PAGE_ROWS, type ExportSection } from './export-section.js';
import * as store from './store.js';

/** Where the person is signed in; never the token hashes (credentials, not data). */
export const sessionsSection: ExportSection = {
  key: 'sessions',
  json: ({ db, userId }) =>
    new PagedList(PAGE_ROWS.small, (page) => store.listSessions(db, userId, page), (rows) =>
      rows.map((s) => ({ id: s.id, createdAt: s.created_at, expiresAt: s.expires_at, refreshedAt: s.refreshed_at, userAgent: s.user_agent, ip: s.ip })),
    ),
};
