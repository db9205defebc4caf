import { useInfiniteQuery, useMutation, useQuery, useQueryClient, type InfiniteData } from '@tanstack/react-query';
import { ApiError, api } from '../api/client';
import type { ChatExchange, ChatMessage, MessagePage } from '../api/types';

const MESSAGES_KEY = ['chat', 'messages'] as const;
const METRICS_KEY = ['chat', 'metrics'] as const;

/** The conversation, newest page first; older pages come through the cursor. */
export function useMessages() {
  return useInfiniteQuery({
    queryKey: MESSAGES_KEY,
    queryFn: ({ pageParam }) => api.messages(pageParam, 30),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last: MessagePage) => last.nextCursor ?? undefined,
  });
}

export const useMetrics = () => useQuery({ queryKey: METRICS_KEY, queryFn: api.metrics });

/** Oldest first, for display with the newest at the bottom. */
export function chronological(data: InfiniteData<MessagePage> | undefined): ChatMessage[] {
  return (data?.pages ?? []).flatMap((page) => page.messages).reverse();
}

/** A message that failed to get its reply: it is kept on the server, and may be asked again. */
export interface Unanswered {
  content: string;
  error: string;
}

export function useSendMessage(onUnanswered: (failed: Unanswered | null) => void) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (content: string) => api.sendMessage(content),
    onSuccess: (exchange: ChatExchange) => {
      onUnanswered(null);
      client.setQueryData<InfiniteData<MessagePage>>(MESSAGES_KEY, (data) => {
        if (!data) return data;
        const [first, ...rest] = data.pages;
        const newest = [exchange.reply, exchange.message, ...(first?.messages ?? [])];
        return { ...data, pages: [{ messages: newest, nextCursor: first?.nextCursor ?? null }, ...rest] };
      });
      void client.invalidateQueries({ queryKey: METRICS_KEY });
    },
    onError: (error, content) => {
      const coachDown = error instanceof ApiError && error.code === 'coach_unavailable';
      onUnanswered({
        content,
        error: coachDown
          ? 'The coach cannot answer right now. Your message is saved; you can ask again.'
          : error instanceof ApiError && error.offline
            ? 'The message could not be sent: you seem to be offline. It is still in the box below.'
            : error.message,
      });
      // A 503 means the message itself was stored: show it in the conversation.
      if (coachDown) void client.invalidateQueries({ queryKey: MESSAGES_KEY });
    },
  });
}
