import { useState } from 'react';
import type { DiffPart } from '../api/types';
import { connectionProblem } from '../app/connection';
import { formatDate, messageOf } from '../app/format';
import { useComparison, useVersions } from './data';
import { DownloadLinks } from './DownloadLinks';
import { plural } from './plural';

/**
 * The kept versions of a résumé, each downloadable, and the changes between two of them.
 * Deleted text is struck through inside <del>, inserted text underlined inside <ins>, each also
 * introduced by words for screen readers, so the difference never rests on colour alone.
 */
export function CompareView({ id, name, currentRevision }: { id: number; name: string; currentRevision: number }) {
  const versions = useVersions(id);
  const list = versions.data ?? [];
  const [from, setFrom] = useState<number | null>(null);
  const [to, setTo] = useState<number | null>(null);
  // Until the person picks, compare the previous version with the current one.
  const older = from ?? list[1]?.revision ?? null;
  const newer = to ?? list[0]?.revision ?? null;
  const comparison = useComparison(id, older, newer);
  return (
    <section aria-labelledby="versions-title" className="resume-versions">
      <h3 id="versions-title">Versions</h3>
      {versions.isError && <p role="status">{connectionProblem(versions.error) ?? messageOf(versions.error)}</p>}
      {versions.data && (
        <p className="hint">
          {plural(list.length, 'version', 'versions')} kept; the current one is version {currentRevision}.
        </p>
      )}
      <ul className="plain version-list">
        {list.map((version) => (
          <li key={version.revision}>
            Version {version.revision} · {formatDate(version.createdAt)} · {plural(version.characters, 'character', 'characters')} ·{' '}
            <DownloadLinks id={id} revision={version.revision} name={name} />
          </li>
        ))}
      </ul>
      {list.length >= 2 && older !== null && newer !== null && (
        <>
          <h4>Compare two versions</h4>
          <div className="compare-pickers">
            <label>
              From{' '}
              <select value={older} onChange={(event) => setFrom(Number(event.target.value))}>
                {list.map((v) => (
                  <option key={v.revision} value={v.revision}>
                    Version {v.revision}
                  </option>
                ))}
              </select>
            </label>{' '}
            <label>
              to{' '}
              <select value={newer} onChange={(event) => setTo(Number(event.target.value))}>
                {list.map((v) => (
                  <option key={v.revision} value={v.revision}>
                    Version {v.revision}
                  </option>
                ))}
              </select>
            </label>
          </div>
          <p className="hint diff-legend">
            <del>Struck through</del>: only in version {older}. <ins>Underlined</ins>: only in version {newer}.
          </p>
          {older === newer && <p>Pick two different versions.</p>}
          {comparison.isError && <p role="alert">{connectionProblem(comparison.error) ?? messageOf(comparison.error)}</p>}
          {comparison.data && <Diff parts={comparison.data.parts} />}
          {comparison.data && !comparison.data.wordLevel && <p className="hint">Some changes are large, so whole lines are shown as replaced.</p>}
        </>
      )}
    </section>
  );
}

function Diff({ parts }: { parts: DiffPart[] }) {
  const changes = parts.filter((part) => part.op !== 'equal').length;
  if (changes === 0) return <p>These versions have the same text.</p>;
  return (
    <div className="resume-diff" role="region" aria-label={`Changes: ${plural(changes, 'change', 'changes')}`} tabIndex={0}>
      {parts.map((part, i) =>
        part.op === 'equal' ? (
          <span key={i}>{part.text}</span>
        ) : part.op === 'delete' ? (
          <del key={i}>
            <span className="visually-hidden">[deleted: </span>
            {part.text}
            <span className="visually-hidden">]</span>
          </del>
        ) : (
          <ins key={i}>
            <span className="visually-hidden">[inserted: </span>
            {part.text}
            <span className="visually-hidden">]</span>
          </ins>
        ),
      )}
    </div>
  );
}
