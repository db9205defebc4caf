import type { Kysely } from 'kysely';
import { activityDays, computeMetrics } from '../coach/scores.js';
import type { ChatExchange, ChatMessage, MetricsPoint, MessagePage, MetricsHistory } from './responses.js';
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

export type { ChatExchange, ChatMessage, MetricsPoint } from './responses.js';

interface Logger {
  warn(details: object, message: string): void;
}

/** What a caller streaming the reply hears, as it happens. */
export interface ReplyListener {
  /** The person's message, stored (before the coach is asked). */
  onMessage?(message: ChatMessage): void;
  /** The next part of the reply, in order; together they are the reply's content. */
  onDelta?(text: string): void;
}

export interface AnswerOptions {
  log?: Logger | undefined;
  /** Aborted when the person is gone (their connection closed): the coach is stopped, nothing is stored. */
  signal?: AbortSignal | undefined;
  listener?: ReplyListener | undefined;
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

const changed = () =>
  new AppError(409, 'conversation_changed', 'The conversation changed meanwhile (a new message or a cleared chat): reload it to see where it is.');

/**
 * Stores the person's message, on its own and at once: from then on it is theirs whatever
 * happens to the reply (a coach that fails, a closed tab, a SIGKILL). A message that is the
 * newest in the conversation and has no reply is the visible "unanswered" state, which
 * `answerable` and `answer` answer without storing the message again (POST …/messages/:id/reply).
 */
export async function storeMessage(db: Kysely<DB>, userId: number, content: string): Promise<ChatMessage> {
  checkContent(content);
  // Checked before anything is stored; room is kept for the reply. Two sends at once may
  // pass together; the bound then holds within a few messages.
  if (await store.hasAtLeastMessages(db, userId, CONVERSATION_MAX_MESSAGES - 1)) {
    throw new AppError(413, 'conversation_full', `This conversation holds ${CONVERSATION_MAX_MESSAGES.toLocaleString('en')} messages, its limit: download your data to keep a copy, then clear the conversation to go on.`, {
      maxMessages: CONVERSATION_MAX_MESSAGES,
    });
  }
  const row = { user_id: userId, role: 'user' as const, content, provider: null, created_at: nowIso() };
  // The account may be deleted while the message is on its way (401, not a 500).
  return toMessage(await onMissingReference(store.insertMessage(db, row), unauthenticated));
}

/** Stores the person's message, then the coach's reply to it (see `storeMessage` and `answer`). */
export async function sendMessage(
  db: Kysely<DB>,
  coach: CoachProvider,
  userId: number,
  content: string,
  log?: Logger,
  options: Omit<AnswerOptions, 'log'> = {},
): Promise<ChatExchange> {
  const message = await storeMessage(db, userId, content);
  options.listener?.onMessage?.(message);
  return answer(db, coach, userId, message, { ...options, log });
}

/**
 * The person's message `messageId`, to be answered (again): it must be theirs (else 404), and
 * the newest message they wrote (409 `not_latest` otherwise). A reply it already has is what
 * `answer` replaces; the coach is told not to give the same one again.
 */
export async function answerable(db: Kysely<DB>, userId: number, messageId: number): Promise<{ message: ChatMessage; previousReply: string | null }> {
  const row = await store.findMessage(db, userId, messageId);
  if (!row || row.role !== 'user') throw new AppError(404, 'not_found', 'No such message of yours.');
  if (await store.hasUserMessageAfter(db, userId, messageId)) {
    throw new AppError(409, 'not_latest', 'Only your newest message can be answered again.');
  }
  const [reply] = await store.messagesAfter(db, userId, messageId, 1);
  return { message: toMessage(row), previousReply: reply?.content ?? null };
}

/**
 * Asks the coach to answer the stored message, passing on its reply as it comes, then stores
 * the complete reply with its metrics in one transaction, replacing any earlier reply to the
 * message: a reply is written once, whole, or not at all. A coach that fails answers 503
 * `coach_unavailable` with the message's id (it stays, unanswered); a caller gone before the
 * reply is complete stops the coach and stores nothing. If the person wrote again meanwhile,
 * or cleared the conversation, the reply is not stored (409 `conversation_changed`).
 */
export async function answer(
  db: Kysely<DB>,
  coach: CoachProvider,
  userId: number,
  message: ChatMessage,
  options: AnswerOptions = {},
  previousReply: string | null = null,
): Promise<ChatExchange> {
  const workbook = await getWorkbook(db, userId);
  // The message and what came before it; an earlier reply to it is left out (it is replaced).
  const recent = await store.listMessages(db, userId, { beforeId: message.id + 1, limit: CONTEXT_MESSAGES });
  const context = {
    workbook: { currentStep: workbook.currentStep, answers: workbook.answers, completed: workbook.completedAt !== null },
    history: recent.reverse().map((m) => ({ role: m.role, content: m.content })),
    ...(previousReply === null ? {} : { avoid: previousReply }),
  };
  let streamed = false;
  const onDelta = options.listener?.onDelta;
  let answered;
  try {
    answered = await coach.reply(context, {
      signal: options.signal,
      onDelta: onDelta && ((text: string) => {
        streamed = true;
        onDelta(text);
      }),
    });
  } catch (error) {
    if (options.signal?.aborted) throw new AppError(499, 'client_gone', 'The person left before the reply was complete.');
    options.log?.warn({ err: error, coach: coach.name }, 'coach failed to reply');
    throw new AppError(503, 'coach_unavailable', 'The coach cannot answer right now; your message is saved and you can ask again.', {
      messageId: message.id,
    });
  }
  // A coach that answers in one piece (the offline one) still reaches a streaming page.
  if (!streamed) onDelta?.(answered.content);
  const now = new Date();
  const stored = db.transaction().execute(async (trx) => {
    if (!(await store.findMessage(trx, userId, message.id, { lock: true }))) throw changed();
    if (await store.hasUserMessageAfter(trx, userId, message.id)) throw changed();
    await store.deleteRepliesAfter(trx, userId, message.id);
    // Counted with the message in, so today counts as a day the person wrote.
    const metrics = computeMetrics({
      message: message.content,
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
      content: answered.content,
      provider: answered.provider,
      created_at: nowIso(now),
    });
    await store.insertMetrics(trx, { user_id: userId, message_id: reply.id, ...metrics, created_at: reply.created_at });
    return { reply, metrics };
  });
  try {
    const { reply, metrics } = await onMissingReference(stored, unauthenticated);
    return { message, reply: toMessage(reply), metrics };
  } catch (error) {
    // The account went while the coach thought (its messages with it): 401, as for any write.
    if (error instanceof AppError && error.code === 'conversation_changed' && !(await store.userExists(db, userId))) throw unauthenticated();
    throw error;
  }
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
): Promise<MessagePage> {
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
): Promise<MetricsHistory> {
  const history = (await store.listMetrics(db, userId, limit)).map(toPoint);
  return { latest: history[0] ?? null, history };
}
