import { useEffect, useLayoutEffect, useRef, useState, type FormEvent } from 'react';
import { MESSAGE_MAX_CHARS } from '../api/routes';
import { formatDate, messageOf } from '../app/format';
import { ScreenHeading } from '../app/ScreenHeading';
import { Gauges, TrendPlot } from './Gauges';
import { chronological, useMessages, useMetrics, useSendMessage, type Unanswered } from './useChat';

export default function ChatScreen() {
  const messages = useMessages();
  const metrics = useMetrics();
  const [draft, setDraft] = useState('');
  const [unanswered, setUnanswered] = useState<Unanswered | null>(null);
  const send = useSendMessage(setUnanswered);
  const log = useRef<HTMLDivElement>(null);
  const keepOffset = useRef<number | null>(null);
  const shown = chronological(messages.data);
  const pending = send.isPending ? send.variables : null;

  // New messages scroll into view; an older page keeps the reader where they were.
  useLayoutEffect(() => {
    const box = log.current;
    if (!box) return;
    if (keepOffset.current !== null) {
      box.scrollTop = box.scrollHeight - keepOffset.current;
      keepOffset.current = null;
    } else {
      box.scrollTop = box.scrollHeight;
    }
  }, [shown.length, pending]);

  const loadOlder = () => {
    if (!messages.hasNextPage || messages.isFetchingNextPage || !log.current) return;
    keepOffset.current = log.current.scrollHeight - log.current.scrollTop;
    void messages.fetchNextPage();
  };

  useEffect(() => {
    const box = log.current;
    if (!box) return;
    const onScroll = () => {
      if (box.scrollTop < 40) loadOlder();
    };
    box.addEventListener('scroll', onScroll);
    return () => box.removeEventListener('scroll', onScroll);
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const content = draft.trim();
    if (!content || send.isPending) return;
    setDraft('');
    setUnanswered(null);
    send.mutate(content, { onError: (error) => { if (!(error instanceof Error && 'code' in error && error.code === 'coach_unavailable')) setDraft(content); } });
  };

  return (
    <div className="chat">
      <section className="chat-main" aria-labelledby="chat-heading">
        <ScreenHeading>Coach</ScreenHeading>
        <h2 id="chat-heading" className="visually-hidden">
          Conversation
        </h2>
        {messages.isError && <p role="alert">{messageOf(messages.error)}</p>}
        <div className="chat-log" ref={log} tabIndex={0} role="log" aria-label="Conversation with the coach">
          {messages.hasNextPage && (
            <button type="button" className="link" onClick={loadOlder} disabled={messages.isFetchingNextPage}>
              {messages.isFetchingNextPage ? 'Loading older messages…' : 'Load older messages'}
            </button>
          )}
          {shown.length === 0 && !pending && messages.isSuccess && <p className="hint">Say hello: what is on your mind about your career?</p>}
          {shown.map((message) => (
            <article key={message.id} className={`bubble ${message.role}`}>
              <h3>{message.role === 'coach' ? 'Coach' : 'You'}</h3>
              <p>{message.content}</p>
              <time dateTime={message.createdAt}>{formatDate(message.createdAt)}</time>
            </article>
          ))}
          {pending !== null && pending !== undefined && (
            <>
              <article className="bubble user sending">
                <h3>You</h3>
                <p>{pending}</p>
              </article>
              <p role="status" className="hint">
                The coach is replying…
              </p>
            </>
          )}
        </div>
        {unanswered && (
          <div role="alert" className="card">
            <p className="error">{unanswered.error}</p>
            <button type="button" onClick={() => send.mutate(unanswered.content)} disabled={send.isPending}>
              Ask again
            </button>
          </div>
        )}
        <form onSubmit={submit} className="chat-form">
          <label htmlFor="chat-message">Message to the coach</label>
          <textarea id="chat-message" rows={3} maxLength={MESSAGE_MAX_CHARS} value={draft} onChange={(event) => setDraft(event.target.value)} />
          <button type="submit" className="primary" disabled={send.isPending || draft.trim() === ''}>
            Send
          </button>
        </form>
      </section>
      <aside className="card" aria-labelledby="metrics-title">
        <h2 id="metrics-title">How you are doing</h2>
        <Gauges latest={metrics.data?.latest ?? null} />
        <TrendPlot history={metrics.data?.history ?? []} />
      </aside>
    </div>
  );
}
