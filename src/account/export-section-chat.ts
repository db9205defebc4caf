import { PagedList } from './export-json.js';
import { readableTime } from './export-readable.js';
import { eachRow, PAGE_ROWS, type ExportSection } from './export-section.js';
import * as store from './store.js';

export const chatSection: ExportSection = {
  key: 'chat',
  json: ({ db, userId }) => ({
    messages: new PagedList(PAGE_ROWS.small, (page) => store.listChatMessages(db, userId, page), (rows) =>
      rows.map((m) => ({ id: m.id, role: m.role, content: m.content, provider: m.provider, createdAt: m.created_at })),
    ),
    metrics: new PagedList(PAGE_ROWS.small, (page) => store.listCoachMetrics(db, userId, page), (rows) =>
      rows.map((m) => ({ id: m.id, messageId: m.message_id, clarity: m.clarity, action: m.action, momentum: m.momentum, createdAt: m.created_at })),
    ),
  }),

  async readable({ db, userId }, doc) {
    await doc.html('<section>\n<h2>Conversation with the coach</h2>\n');
    let any = false;
    for await (const message of eachRow(PAGE_ROWS.small, (page) => store.listChatMessages(db, userId, page))) {
      any = true;
      await doc.element('p', `${message.role === 'user' ? 'You' : 'Coach'}, ${readableTime(message.created_at)}`, 'meta');
      await doc.element('p', message.content, message.role === 'user' ? 'msg' : 'msg coach');
    }
    if (!any) await doc.element('p', 'No messages.', 'none');
    await doc.html('</section>\n');
  },
};
