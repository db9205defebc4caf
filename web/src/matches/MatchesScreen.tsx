import { useId } from 'react';
import { Link } from 'react-router';
import type { PublicJobMatch } from '../api/types';
import { connectionProblem } from '../app/connection';
import { messageOf } from '../app/format';
import { ScreenHeading } from '../app/ScreenHeading';
import { usePageTitle } from '../app/usePageTitle';
import { useAddMatchToJobs, useMatches, useRefreshMatches, useTrackedJobs } from './data';
import { STATUS_LABELS } from './labels';

const REASONS = {
  no_input: 'Nothing to match yet: answer some workbook prompts, talk with the coach or upload a résumé first.',
  no_match: 'None of the roles matched what you have written so far. Add more about your skills and values.',
};

const errorText = (error: unknown) => connectionProblem(error) ?? messageOf(error);

/**
 * Roles from Mosaic's catalogue that fit what the person has written, each explained in their
 * own words. "Add to my jobs" puts one on the board (My jobs), where it is tracked like any job.
 */
export default function MatchesScreen() {
  usePageTitle('Job matches');
  const matches = useMatches();
  const refresh = useRefreshMatches();
  const problem = connectionProblem(matches.error);

  return (
    <section>
      <ScreenHeading>Job matches</ScreenHeading>
      <p className="hint">
        Roles that fit what you have written in the workbook, the chat and your files. Add one to <Link to="/jobs">My jobs</Link> to track it.
      </p>
      <div className="actions">
        <button type="button" className="primary" onClick={() => refresh.mutate()} disabled={refresh.isPending}>
          {refresh.isPending ? 'Finding matches…' : 'Find matches'}
        </button>
      </div>
      {refresh.data?.reason && <p role="status">{REASONS[refresh.data.reason]}</p>}
      {refresh.isError && (
        <p role="alert" className="error">
          {errorText(refresh.error)}
        </p>
      )}
      {problem && (
        <p role="status" className="note">
          {problem}
        </p>
      )}
      {matches.isError && !problem && (
        <p role="alert" className="error">
          {messageOf(matches.error)}
        </p>
      )}
      {matches.isSuccess && matches.data.length === 0 && <p>No matches yet: choose Find matches.</p>}
      <ol className="matches">
        {(matches.data ?? []).map((match) => (
          <li key={match.id}>
            <MatchCard match={match} />
          </li>
        ))}
      </ol>
    </section>
  );
}

function MatchCard({ match }: { match: PublicJobMatch }) {
  const id = useId();
  const add = useAddMatchToJobs();
  const jobs = useTrackedJobs();
  const job = jobs.data?.jobs.find((j) => j.roleId === match.roleId);
  const titleId = `${id}-title`;

  return (
    <article className="card" aria-labelledby={titleId}>
      <h2 id={titleId}>
        {match.rank !== null ? `${match.rank}. ` : ''}
        {match.title}
      </h2>
      <p className="hint">
        {match.field}
        {!match.current ? ' · no longer in your top matches' : ''}
      </p>
      {match.explanation && <p>{match.explanation}.</p>}
      {match.matchedSkills.length > 0 && <p>Skills of the role you wrote about: {match.matchedSkills.join(', ')}</p>}
      {match.entryPaths.length > 0 && <p>Ways in: {match.entryPaths.join('; ')}</p>}
      <div className="actions">
        {job ? (
          <p>
            On your board: {STATUS_LABELS[job.status]}. <Link to="/jobs">Open My jobs</Link>
          </p>
        ) : (
          <button type="button" onClick={() => add.mutate(match.id)} disabled={add.isPending}>
            Add to my jobs<span className="visually-hidden">: {match.title}</span>
          </button>
        )}
      </div>
      {add.isError && (
        <p role="alert" className="error">
          {errorText(add.error)}
        </p>
      )}
    </article>
  );
}
