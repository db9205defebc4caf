import { useEffect, useLayoutEffect, useRef, type FormEvent, type KeyboardEvent, type ReactNode } from 'react';
import { ApiError } from '../api/client';
import { MESSAGE_MAX_CHARS } from '../api/routes';
import type { ChatMessage } from '../api/types';
import { connectionProblem } from '../app/connection';
import { formatDate, messageOf } from '../app/format';
import { ScreenHeading } from '../app/ScreenHeading';
import { useMe } from '../app/session';
import { usePageTitle } from '../app/usePageTitle';
import { CopyButton } from './CopyButton';
import { chronological, useExchange, useMessages, useMetrics, type ExchangeProblem } from './data';
import { useDraft } from './draft';
import { Gauges, TrendPlot } from './Gauges';
import { Markdown } from './Markdown';

/** Whether the main pointer is a finger (phones, tablets): there Enter writes a new line. */
const touchFirst = () => typeof window.matchMedia === 'function' && window.matchMedia('(pointer: coarse)').matches;

/** What went wrong with the last exchange, in the person's terms. */
function problemText(problem: ExchangeProblem): string {
  const connection = connectionProblem(problem.error);
  if (connection) {
    return problem.stored
      ? `${connection.split('.')[0]!}. Your message is saved: ask again when it is back.`
      : `${connection.split('.')[0]!}. Your message was not sent; it is back in the box.`;
  }
  if (problem.error instanceof ApiError && problem.error.code === 'coach_unavailable') {
    return 'The coach cannot answer right now. Your message is saved: you can ask again.';
  }
  return messageOf(problem.error);
}

function Bubble({ message, actions }: { message: ChatMessage; actions?: ReactNode }) {
  return (
    <article className={`bubble ${message.role}`}>
      <h3>{message.role === 'coach' ? 'Coach' : 'You'}</h3>
      {message.role === 'coach' ? <Markdown text={message.content} /> : <p>{message.content}</p>}
      <div className="bubble-foot">
        <time dateTime={message.createdAt}>{formatDate(message.createdAt)}</time>
        {actions}
      </div>
    </article>
  );
}

export default function ChatScreen() {
  usePageTitle('Coach');
  const me = useMe();
  const messages = useMessages();
  const metrics = useMetrics();
  const [draft, setDraft] = useDraft(me.data?.id ?? null);
  const exchange = useExchange();
  const { replying, problem } = exchange;
  const box = useRef<HTMLTextAreaElement>(null);
  const log = useRef<HTMLDivElement>(null);
  const keepOffset = useRef<number | null>(null);
  const shown = chronological(messages.data);
  const newest = shown.at(-1);
  const lastAsked = newest?.role === 'coach' ? shown.at(-2) : newest;
  // The person's newest message has no reply: the coach failed, the stream dropped or the server stopped.
  const unanswered = !replying && newest?.role === 'user' ? newest : null;
  const visible = replying?.regenerating ? shown.filter((m) => !(m.role === 'coach' && m.id > (replying.messageId ?? 0))) : shown;

  // New messages and new parts of a reply scroll into view; an older page keeps the reader where they were.
  useLayoutEffect(() => {
    const element = log.current;
    if (!element) return;
    if (keepOffset.current !== null) {
      element.scrollTop = element.scrollHeight - keepOffset.current;
      keepOffset.current = null;
    } else {
      element.scrollTop = element.scrollHeight;
    }
  }, [shown.length, replying?.text, replying?.content]);

  const loadOlder = () => {
    if (!messages.hasNextPage || messages.isFetchingNextPage || !log.current) return;
    keepOffset.current = log.current.scrollHeight - log.current.scrollTop;
    void messages.fetchNextPage();
  };

  useEffect(() => {
    const element = log.current;
    if (!element) return;
    const onScroll = () => {
      if (element.scrollTop < 40) loadOlder();
    };
    element.addEventListener('scroll', onScroll);
    return () => element.removeEventListener('scroll', onScroll);
  });

  const send = async () => {
    const content = draft.trim();
    if (!content || replying) return;
    setDraft('');
    box.current?.focus();
    const outcome = await exchange.send(content);
    // Not sent at all (no connection, refused): the words come back, unless a new draft was begun.
    if (!outcome.stored) setDraft((current) => (current === '' ? draft : current));
  };
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    void send();
  };
  // Enter sends and Shift+Enter starts a new line, as in the chats people know; never while an
  // input method is composing a character (Enter then confirms the character).
  // On a touch screen Enter stays a new line, as in the chat apps there: Send is at hand.
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key !== 'Enter' || event.shiftKey || event.nativeEvent.isComposing || event.keyCode === 229 || touchFirst()) return;
    event.preventDefault();
    void send();
  };
  const askAgain = (message: ChatMessage, regenerating: boolean) => {
    void exchange.askAgain(message, regenerating).then(() => box.current?.focus());
  };
  // A message that never left for want of a connection: once Mosaic answers again, that
  // explanation is old news (the words are back in the box).
  const { dismissProblem } = exchange;
  const connectionLost = problem !== null && !problem.stored && connectionProblem(problem.error) !== null;
  const problemAt = problem?.at ?? 0;
  useEffect(() => {
    if (connectionLost && messages.dataUpdatedAt > problemAt) dismissProblem();
  }, [connectionLost, messages.dataUpdatedAt, problemAt, dismissProblem]);
  const historyProblem = messages.isError ? (connectionProblem(messages.error) ?? messageOf(messages.error)) : null;
  const scored = metrics.data?.history.length ?? 0;

  return (
    <div className="chat">
      <section className="chat-main" aria-labelledby="chat-heading">
        <ScreenHeading>Coach</ScreenHeading>
        <h2 id="chat-heading" className="visually-hidden">
          Conversation
        </h2>
        {historyProblem && (
          <p role="alert" className="connection-problem">
            {historyProblem}
          </p>
        )}
        <div className="chat-log" ref={log} tabIndex={0} role="log" aria-label="Conversation with the coach">
          {messages.hasNextPage && (
            <button type="button" className="link" onClick={loadOlder} disabled={messages.isFetchingNextPage}>
              {messages.isFetchingNextPage ? 'Loading older messages…' : 'Load older messages'}
            </button>
          )}
          {shown.length === 0 && !replying && messages.isSuccess && <p className="hint">Say hello: what is on your mind about your career?</p>}
          {visible.map((message) => (
            <Bubble
              key={message.id}
              message={message}
              actions={
                message.role === 'coach' && (
                  <>
                    <CopyButton text={message.content} />
                    {message === newest && lastAsked?.role === 'user' && !replying && (
                      <button type="button" className="link" onClick={() => askAgain(lastAsked, true)}>
                        Regenerate
                      </button>
                    )}
                  </>
                )
              }
            />
          ))}
          {replying && (
            <>
              {replying.messageId === null && (
                <article className="bubble user sending">
                  <h3>You</h3>
                  <p>{replying.content}</p>
                </article>
              )}
              <article className="bubble coach" aria-busy="true">
                <h3>Coach</h3>
                {replying.text ? <Markdown text={replying.text} /> : <p className="hint">Thinking…</p>}
              </article>
            </>
          )}
        </div>
        <p role="status" className="visually-hidden">
          {replying ? 'The coach is replying…' : ''}
        </p>
        {(unanswered || (problem && !problem.stored)) && (
          <div role="alert" className="card">
            <p className="error">{problem ? problemText(problem) : 'Your last message has no reply yet.'}</p>
            {unanswered && (
              <button type="button" onClick={() => askAgain(unanswered, false)}>
                Ask again
              </button>
            )}
          </div>
        )}
        <form onSubmit={onSubmit} className="chat-form">
          <label htmlFor="chat-message">Message to the coach</label>
          <textarea
            id="chat-message"
            ref={box}
            rows={3}
            maxLength={MESSAGE_MAX_CHARS}
            value={draft}
            aria-describedby="chat-keys"
            onChange={(event) => setDraft(event.target.value)}
            onKeyDown={onKeyDown}
          />
          <p id="chat-keys" className="hint">
            {touchFirst() ? 'Send with the button below.' : 'Enter sends; Shift+Enter starts a new line.'}
          </p>
          <button type="submit" className="primary" disabled={replying !== null || draft.trim() === ''}>
            Send
          </button>
        </form>
      </section>
      <aside className="card" aria-labelledby="metrics-title">
        <h2 id="metrics-title">How you are doing</h2>
        <Gauges latest={metrics.data?.latest ?? null} scoredReplies={scored} />
        <TrendPlot history={metrics.data?.history ?? []} />
      </aside>
    </div>
  );
}
