import { useInfiniteQuery, useQuery, useQueryClient, type InfiniteData, type QueryClient } from '@tanstack/react-query';
import { useCallback, useRef, useState } from 'react';
import { ApiError, call, callStreaming, offlineError } from '../api/client';
import { API } from '../api/routes';
import type { ChatExchange, ChatMessage, ChatStreamEvent, MessagePage, MetricsHistory } from '../api/types';
import { reachabilityOf } from '../app/connection';

/** The chat's query keys: invalidation names these, never strings. */
export const chatKeys = {
  all: ['chat'] as const,
  messages: () => [...chatKeys.all, 'messages'] as const,
  metrics: () => [...chatKeys.all, 'metrics'] as const,
};

const PAGE_SIZE = 30;
/** While Mosaic can't be reached, how often the screen asks again, so it recovers by itself. */
const RECOVERY_POLL_MS = 5_000;

export const fetchMessages = (before?: string, limit = PAGE_SIZE) => call<MessagePage>(API.messages, { query: { before, limit } });
export const fetchMetrics = () => call<MetricsHistory>(API.metrics);

const pollWhileUnreachable = (query: { state: { error: unknown } }) =>
  query.state.error !== null && reachabilityOf(query.state.error) !== 'reachable' ? RECOVERY_POLL_MS : false;

/** The conversation, newest page first; older pages come through the cursor. */
export function useMessages() {
  return useInfiniteQuery({
    queryKey: chatKeys.messages(),
    queryFn: ({ pageParam }) => fetchMessages(pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last: MessagePage) => last.nextCursor ?? undefined,
    refetchInterval: pollWhileUnreachable,
  });
}

export const useMetrics = () => useQuery({ queryKey: chatKeys.metrics(), queryFn: fetchMetrics, refetchInterval: pollWhileUnreachable });

/** Oldest first, for display with the newest at the bottom. */
export function chronological(data: InfiniteData<MessagePage> | undefined): ChatMessage[] {
  return (data?.pages ?? []).flatMap((page) => page.messages).reverse();
}

export interface StreamHandlers {
  onMessage(message: ChatMessage): void;
  onDelta(text: string): void;
}

/** An error event of the stream, as an ApiError (status from its code), keeping its details. */
function streamError(error: { code: string; message: string; [detail: string]: unknown }): ApiError {
  const status = error.code === 'coach_unavailable' ? 503 : error.code === 'conversation_changed' ? 409 : 500;
  return new ApiError(status, error.code, error.message, error);
}

/** Reads server-sent events (`event:` and `data:` lines, blank-line separated) as they arrive. */
async function readEvents(response: Response, onEvent: (event: ChatStreamEvent) => void): Promise<void> {
  if (!response.body) throw offlineError();
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffered = '';
  for (;;) {
    let chunk;
    try {
      chunk = await reader.read();
    } catch {
      throw offlineError();
    }
    if (chunk.done) return;
    buffered += chunk.value;
    let end;
    while ((end = buffered.indexOf('\n\n')) >= 0) {
      const block = buffered.slice(0, end);
      buffered = buffered.slice(end + 2);
      const event = /^event: (.*)$/m.exec(block)?.[1];
      const data = /^data: (.*)$/m.exec(block)?.[1];
      if (event && data) onEvent({ event, data: JSON.parse(data) } as ChatStreamEvent);
    }
  }
}

/** Sends a message, or asks again for `messageId`'s reply, reading the reply as it is written. */
export async function streamExchange(
  request: { content: string } | { messageId: number },
  handlers: StreamHandlers,
): Promise<ChatExchange> {
  const response =
    'content' in request
      ? await callStreaming(API.sendMessage, { body: { content: request.content } })
      : await callStreaming(API.replyToMessage, { params: { id: request.messageId } });
  // Set by the events below (a closure the compiler cannot follow).
  let outcome = null as ChatExchange | ApiError | null;
  await readEvents(response, (event) => {
    if (event.event === 'message') handlers.onMessage(event.data);
    else if (event.event === 'delta') handlers.onDelta(event.data.text);
    else if (event.event === 'done') outcome = event.data;
    else outcome = streamError(event.data.error);
  });
  // A stream that ends without its last event was cut on the way (the server went away).
  if (outcome === null) throw offlineError();
  if (outcome instanceof ApiError) throw outcome;
  return outcome;
}

/** Puts `message` in the cached conversation, dropping any reply after `replacesAfter` (a regenerated one). */
function addToConversation(client: QueryClient, messages: ChatMessage[], replacesAfter?: number): void {
  client.setQueryData<InfiniteData<MessagePage>>(chatKeys.messages(), (data) => {
    if (!data) return data;
    const [first, ...rest] = data.pages;
    const ids = new Set(messages.map((m) => m.id));
    const kept = (first?.messages ?? []).filter((m) => !ids.has(m.id) && !(replacesAfter !== undefined && m.role === 'coach' && m.id > replacesAfter));
    const newest = [...[...messages].sort((a, b) => b.id - a.id), ...kept];
    return { ...data, pages: [{ messages: newest, nextCursor: first?.nextCursor ?? null }, ...rest] };
  });
}

/** The reply being written: for which message, and its text so far. */
export interface Replying {
  /** The person's message, once stored (null while it is on its way). */
  messageId: number | null;
  /** What the person sent (shown until the stored message arrives). */
  content: string;
  text: string;
  /** Whether this replaces an existing reply (regenerate). */
  regenerating: boolean;
}

/** Why the last exchange did not finish, in the person's terms. */
export interface ExchangeProblem {
  error: unknown;
  /** Whether the person's message is stored (then "Ask again" answers it; else the draft is given back). */
  stored: boolean;
  /** When it happened (Date.now()): a conversation loaded after it shows the server is back. */
  at: number;
}

export interface Outcome {
  answered: boolean;
  /** Whether the person's message is on the server (false: it never left, the draft is theirs again). */
  stored: boolean;
}

/**
 * Sending and asking again, streamed. The person's message and the reply join the cached
 * conversation as the server confirms them; a failure leaves the conversation as the server
 * has it (an unanswered message shows "Ask again").
 */
export function useExchange() {
  const client = useQueryClient();
  const [replying, setReplying] = useState<Replying | null>(null);
  const [problem, setProblem] = useState<ExchangeProblem | null>(null);
  const busy = useRef(false);

  const run = useCallback(
    async (request: { content: string } | { messageId: number }, shown: Replying): Promise<Outcome> => {
      if (busy.current) return { answered: false, stored: false };
      busy.current = true;
      setProblem(null);
      setReplying(shown);
      let stored = 'messageId' in request;
      try {
        const exchange = await streamExchange(request, {
          onMessage: (message) => {
            stored = true;
            if ('content' in request) addToConversation(client, [message]);
            setReplying((current) => current && { ...current, messageId: message.id });
          },
          onDelta: (text) => setReplying((current) => current && { ...current, text: current.text + text }),
        });
        addToConversation(client, [exchange.message, exchange.reply], exchange.message.id);
        void client.invalidateQueries({ queryKey: chatKeys.metrics() });
        return { answered: true, stored: true };
      } catch (error) {
        setProblem({ error, stored, at: Date.now() });
        // The server's own state decides what is shown (the message alone, or a newer
        // conversation); and if it cannot be reached, the failed reload starts the polling
        // that notices when it is back.
        void client.invalidateQueries({ queryKey: chatKeys.messages() });
        return { answered: false, stored };
      } finally {
        busy.current = false;
        setReplying(null);
      }
    },
    [client],
  );

  const send = useCallback((content: string) => run({ content }, { messageId: null, content, text: '', regenerating: false }), [run]);
  const askAgain = useCallback(
    (message: ChatMessage, regenerating: boolean) => run({ messageId: message.id }, { messageId: message.id, content: message.content, text: '', regenerating }),
    [run],
  );
  const dismissProblem = useCallback(() => setProblem(null), []);
  return { send, askAgain, replying, problem, dismissProblem };
}
