import { useEffect, useRef } from 'react';
import type { StoredFeedback } from '../api/types';
import { formatDate } from '../app/format';
import { plural } from './plural';

/**
 * The latest feedback as one checklist: each check is either done or says what to do, never
 * both (the server derives both from the same thresholds). When new feedback arrives it is
 * scrolled into view and its heading takes the focus, so it is seen and read out.
 */
export function FeedbackPanel({ feedback, bringIntoView }: { feedback: StoredFeedback; bringIntoView: boolean }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (!bringIntoView || !heading.current) return;
    heading.current.scrollIntoView({ block: 'start', behavior: 'smooth' });
    heading.current.focus({ preventScroll: true });
  }, [bringIntoView, feedback.id]);
  const todo = feedback.checks.filter((check) => !check.passed).length;
  return (
    <div className="feedback">
      <h3 id="feedback-title" ref={heading} tabIndex={-1}>
        Feedback
      </h3>
      <p className="hint">
        {formatDate(feedback.createdAt)}: {todo === 0 ? 'every check passed.' : `${plural(todo, 'thing', 'things')} to improve.`}
      </p>
      <ul className="checklist">
        {feedback.checks.map((check) => (
          <li key={check.key} className={check.passed ? 'check ok' : 'check todo'}>
            <span className="mark" aria-hidden="true">
              {check.passed ? '✓' : '○'}
            </span>{' '}
            <span className="visually-hidden">{check.passed ? 'Done: ' : 'To improve: '}</span>
            {check.label}
            {!check.passed && <p className="advice">{check.advice}</p>}
          </li>
        ))}
      </ul>
    </div>
  );
}
