import type { Kysely } from 'kysely';
import { activityDays, computeMetrics, type CoachMetrics } from '../coach/metrics.js';
import type { CoachProvider } from '../coach/provider.js';
import type { DB } from '../db/schema.js';
import { nowIso } from '../db/values.js';
import { onMissingReference } from '../db/errors.js';
import { AppError, unauthenticated } from '../errors.js';
import { getWorkbook } from '../ps101/service.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import * as store from './store.js';

export const MESSAGE_MAX_CHARS = 8_000;
/**
 * Messages (the person's and the coach's) one conversation may hold. The rate limit slows growth
 * but never ends it; 5,000 messages of at most 8,000 characters bound one conversation to 40
 * million characters. Past it a new message is refused (413 `conversation_full`), never made
 * room for by deleting old ones: the person chooses to clear the conversation (after exporting
 * it, if they want a copy).
 */
export const CONVERSATION_MAX_MESSAGES = 5_000;
/** How many recent messages the coach sees. */
const CONTEXT_MESSAGES = 20;

export interface ChatMessage {
  id: number;
  role: 'user' | 'coach';
  content: string;
  /** Which coach wrote a reply ("offline" or a model); null for the person's messages. */
  provider: string | null;
  createdAt: string;
}

export interface MetricsPoint extends CoachMetrics {
  /** The coach reply these metrics came with. */
  messageId: number;
  createdAt: string;
}

export interface ChatExchange {
  message: ChatMessage;
  reply: ChatMessage;
  metrics: CoachMetrics;
}

interface Logger {
  warn(details: object, message: string): void;
}

function toMessage(row: store.MessageRow): ChatMessage {
  return { id: row.id, role: row.role, content: row.content, provider: row.provider, createdAt: row.created_at };
}

function toPoint(row: store.MetricsRow): MetricsPoint {
  return { messageId: row.message_id, clarity: row.clarity, action: row.action, momentum: row.momentum, createdAt: row.created_at };
}

function checkContent(content: string): void {
  if (content.trim() === '') throw new AppError(400, 'empty_message', 'Write something for the coach first.');
  // Characters as people count them (code points); ASCII text needs no counting.
  if (content.length > MESSAGE_MAX_CHARS && [...content].length > MESSAGE_MAX_CHARS) {
    throw new AppError(413, 'message_too_long', `A message is at most ${MESSAGE_MAX_CHARS} characters.`, {
      limit: MESSAGE_MAX_CHARS,
    });
  }
}

/**
 * Asks the coach first, then stores the person's message, the reply and its metrics in one
 * transaction: an exchange is all there or not at all, whatever stops the process meanwhile
 * (a SIGKILL while the coach thinks leaves nothing). The coach sees the stored history plus
 * this message. A coach failure stores the message alone (so it is not lost, and the person
 * can ask again) and answers 503 coach_unavailable with its id: the one case of a message
 * without a reply.
 */
export async function sendMessage(
  db: Kysely<DB>,
  coach: CoachProvider,
  userId: number,
  content: string,
  log?: Logger,
): Promise<ChatExchange> {
  checkContent(content);
  // Checked before the coach is asked: a refused message costs no reply. Two sends at once may
  // pass together; the bound then holds within a few messages.
  if (await store.hasAtLeastMessages(db, userId, CONVERSATION_MAX_MESSAGES - 1)) {
    throw new AppError(413, 'conversation_full', `This conversation holds ${CONVERSATION_MAX_MESSAGES.toLocaleString('en')} messages, its limit: download your data to keep a copy, then clear the conversation to go on.`, {
      maxMessages: CONVERSATION_MAX_MESSAGES,
    });
  }
  const receivedAt = nowIso();
  const workbook = await getWorkbook(db, userId);
  const recent = await store.listMessages(db, userId, { limit: CONTEXT_MESSAGES - 1 });
  const context = {
    workbook: {
      currentStep: workbook.currentStep,
      answers: workbook.answers,
      completed: workbook.completedAt !== null,
    },
    history: [...recent.reverse().map((m) => ({ role: m.role, content: m.content })), { role: 'user' as const, content }],
  };
  const userMessage = { user_id: userId, role: 'user' as const, content, provider: null, created_at: receivedAt };
  let answer;
  try {
    answer = await coach.reply(context);
  } catch (error) {
    log?.warn({ err: error, coach: coach.name }, 'coach failed to reply');
    // The account may be deleted while the message is on its way (401, not a 500).
    const message = await onMissingReference(store.insertMessage(db, userMessage), unauthenticated);
    throw new AppError(503, 'coach_unavailable', 'The coach cannot answer right now; your message is saved.', {
      messageId: message.id,
    });
  }
  const now = new Date();
  const stored = db.transaction().execute(async (trx) => {
    const message = await store.insertMessage(trx, userMessage);
    // Counted after the message is in, so today counts as a day the person wrote.
    const metrics = computeMetrics({
      message: content,
      activeDays: await store.countActiveDays(trx, userId, activityDays(now)),
      workbook: {
        currentStep: workbook.currentStep,
        answeredCount: Object.keys(workbook.answers).length,
        completed: workbook.completedAt !== null,
      },
      now,
    });
    const reply = await store.insertMessage(trx, {
      user_id: userId,
      role: 'coach',
      content: answer.content,
      provider: answer.provider,
      created_at: nowIso(now),
    });
    await store.insertMetrics(trx, { user_id: userId, message_id: reply.id, ...metrics, created_at: reply.created_at });
    return { message, reply, metrics };
  });
  const { message, reply, metrics } = await onMissingReference(stored, unauthenticated);
  return { message: toMessage(message), reply: toMessage(reply), metrics };
}

/** Clears the person's conversation with the coach, by their choice; answers how many messages went. */
export function clearConversation(db: Kysely<DB>, userId: number): Promise<number> {
  return store.deleteAllMessages(db, userId);
}

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 100;

/** One page of the conversation, newest first; `nextCursor` fetches the older page, null at the start. */
export async function listMessages(
  db: Kysely<DB>,
  userId: number,
  page: { before?: string | undefined; limit?: number | undefined },
): Promise<{ messages: ChatMessage[]; nextCursor: string | null }> {
  const limit = page.limit ?? DEFAULT_PAGE_SIZE;
  const beforeId = page.before === undefined ? undefined : decodeCursor(page.before);
  // One more than asked tells whether an older page exists, without a count.
  const rows = await store.listMessages(db, userId, { beforeId, limit: limit + 1 });
  const messages = rows.slice(0, limit).map(toMessage);
  const nextCursor = rows.length > limit ? encodeCursor(messages[messages.length - 1]!.id) : null;
  return { messages, nextCursor };
}

export const METRICS_HISTORY = 100;

/** The latest metrics and the recent history, newest first. */
export async function getMetrics(
  db: Kysely<DB>,
  userId: number,
  limit = METRICS_HISTORY,
): Promise<{ latest: MetricsPoint | null; history: MetricsPoint[] }> {
  const history = (await store.listMetrics(db, userId, limit)).map(toPoint);
  return { latest: history[0] ?? null, history };
}
