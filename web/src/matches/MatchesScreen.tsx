import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { api } from '../api/client';
import { MATCH_STATUSES } from '../api/routes';
import type { MatchStatus, PublicJobMatch } from '../api/types';
import { formatDate, messageOf } from '../app/format';
import { ScreenHeading } from '../app/ScreenHeading';

const MATCHES_KEY = ['matches'] as const;
const REASONS = {
  no_input: 'Nothing to match yet: answer some workbook prompts, talk with the coach or upload a résumé first.',
  no_match: 'None of the roles matched what you have written so far. Add more about your skills and values.',
};

export default function MatchesScreen() {
  const client = useQueryClient();
  const matches = useQuery({ queryKey: MATCHES_KEY, queryFn: async () => (await api.matches()).matches });
  const refresh = useMutation({
    mutationFn: api.refreshMatches,
    onSuccess: (result) => client.setQueryData(MATCHES_KEY, result.matches),
  });
  const [filter, setFilter] = useState<'all' | 'untracked' | MatchStatus>('all');
  const shown = (matches.data ?? []).filter((m) =>
    filter === 'all' ? true : filter === 'untracked' ? m.status === null : m.status === filter,
  );

  return (
    <section>
      <ScreenHeading>Job matches</ScreenHeading>
      <div className="actions">
        <button type="button" className="primary" onClick={() => refresh.mutate()} disabled={refresh.isPending}>
          {refresh.isPending ? 'Finding matches…' : 'Find matches'}
        </button>
      </div>
      {refresh.data?.reason && <p role="status">{REASONS[refresh.data.reason]}</p>}
      {refresh.isError && <p role="alert" className="error">{messageOf(refresh.error)}</p>}
      <label htmlFor="status-filter">Show</label>
      <select id="status-filter" value={filter} onChange={(event) => setFilter(event.target.value as typeof filter)}>
        <option value="all">All matches</option>
        <option value="untracked">Not tracked yet</option>
        {MATCH_STATUSES.map((status) => (
          <option key={status} value={status}>
            {statusLabel(status)}
          </option>
        ))}
      </select>
      {matches.isError && <p role="alert">{messageOf(matches.error)}</p>}
      {matches.data && shown.length === 0 && <p>No matches to show.</p>}
      <ol className="matches">
        {shown.map((match) => (
          <li key={match.id}>
            <MatchCard match={match} />
          </li>
        ))}
      </ol>
    </section>
  );
}

function statusLabel(status: MatchStatus): string {
  return status[0]!.toUpperCase() + status.slice(1);
}

function MatchCard({ match }: { match: PublicJobMatch }) {
  const client = useQueryClient();
  const id = useId();
  const [status, setStatus] = useState<MatchStatus | ''>(match.status ?? '');
  const [notes, setNotes] = useState(match.notes ?? '');
  const [showHistory, setShowHistory] = useState(false);
  const history = useQuery({
    queryKey: ['matches', match.id],
    queryFn: async () => (await api.match(match.id)).match.history,
    enabled: showHistory,
  });
  const track = useMutation({
    mutationFn: (chosen: MatchStatus) => api.trackMatch(match.id, { status: chosen, notes: notes.trim() === '' ? null : notes }),
    onSuccess: ({ match: updated }) => {
      client.setQueryData<PublicJobMatch[]>(MATCHES_KEY, (list) => list?.map((m) => (m.id === updated.id ? updated : m)));
      client.setQueryData(['matches', match.id], updated.history);
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (status !== '') track.mutate(status);
  };
  const titleId = `${id}-title`;

  return (
    <article className="card" aria-labelledby={titleId}>
      <h2 id={titleId}>
        {match.rank !== null ? `${match.rank}. ` : ''}
        {match.title}
      </h2>
      <p className="hint">
        {match.field} · score {match.score.toFixed(2)}
        {match.status ? ` · ${statusLabel(match.status)}` : ''}
        {!match.current ? ' · no longer in your top matches' : ''}
      </p>
      {match.matchedSkills.length > 0 && <p>Skills that match: {match.matchedSkills.join(', ')}</p>}
      {match.matchedValues.length > 0 && <p>Values that match: {match.matchedValues.join(', ')}</p>}
      {match.entryPaths.length > 0 && <p>Ways in: {match.entryPaths.join('; ')}</p>}
      <form onSubmit={submit}>
        <label htmlFor={`${id}-status`}>Status for {match.title}</label>
        <select id={`${id}-status`} value={status} onChange={(event) => setStatus(event.target.value as MatchStatus | '')}>
          {match.status === null && <option value="">Not tracked — choose a status</option>}
          {MATCH_STATUSES.map((s) => (
            <option key={s} value={s}>
              {statusLabel(s)}
            </option>
          ))}
        </select>
        <label htmlFor={`${id}-notes`}>Notes for {match.title}</label>
        <textarea id={`${id}-notes`} rows={2} maxLength={5000} value={notes} onChange={(event) => setNotes(event.target.value)} />
        <div className="actions">
          <button type="submit" disabled={track.isPending || status === ''}>
            Save status
          </button>
          <button type="button" className="link" aria-expanded={showHistory} onClick={() => setShowHistory((v) => !v)}>
            {showHistory ? 'Hide history' : 'Show history'}
          </button>
        </div>
        {track.isSuccess && <p role="status">Saved.</p>}
        {track.isError && <p role="alert" className="error">{messageOf(track.error)}</p>}
      </form>
      {showHistory && (
        <ul aria-label={`Status history of ${match.title}`}>
          {(history.data ?? []).length === 0 && <li>No status changes yet.</li>}
          {(history.data ?? []).map((change) => (
            <li key={change.createdAt + change.toStatus}>
              {formatDate(change.createdAt)}: {change.fromStatus ? `${statusLabel(change.fromStatus)} → ` : ''}
              {statusLabel(change.toStatus)}
              {change.notes ? ` — ${change.notes}` : ''}
            </li>
          ))}
        </ul>
      )}
    </article>
  );
}
