import { useState } from 'react';
import { useDialog } from '../app/ConfirmDialog';
import type { Conflict, Resolution } from '../autosave/queue';

interface ConflictDialogProps {
  conflict: Conflict | null;
  promptText(key: string): string;
  onResolve(resolution: Resolution): void;
}

/**
 * Another tab or device saved first and changed answers this one changed too. Each differing
 * answer is shown both ways, side by side; nothing is saved until the person chooses.
 */
export function ConflictDialog({ conflict, promptText, onResolve }: ConflictDialogProps) {
  const dialog = useDialog(conflict !== null);
  const [chosen, setChosen] = useState<Resolution>({});
  const [merging, setMerging] = useState<Record<string, string>>({});
  const entries = conflict?.entries ?? [];
  const settled = entries.every((entry) => entry.key in chosen);

  const choose = (key: string, text: string) => {
    setChosen((current) => ({ ...current, [key]: text }));
    setMerging(({ [key]: _dropped, ...rest }) => rest);
  };

  const finish = () => {
    const resolution = chosen;
    setChosen({});
    setMerging({});
    onResolve(resolution);
  };

  return (
    <dialog ref={dialog} aria-labelledby="conflict-title" className="conflict" onCancel={(event) => event.preventDefault()}>
      <h2 id="conflict-title">This workbook was changed somewhere else</h2>
      <p>
        Another tab or device saved different answers while you were writing. Choose what to keep for each answer; nothing
        is saved until you do.
      </p>
      {entries.map((entry) => {
        const label = promptText(entry.key);
        const headingId = `conflict-${entry.key.replace('.', '-')}`;
        return (
          <section key={entry.key} aria-labelledby={headingId} className="conflict-entry">
            <h3 id={headingId}>{label}</h3>
            <div className="side-by-side">
              <figure>
                <figcaption>Your version</figcaption>
                <blockquote>{entry.mine || <em>(empty)</em>}</blockquote>
              </figure>
              <figure>
                <figcaption>The other version</figcaption>
                <blockquote>{entry.theirs || <em>(empty)</em>}</blockquote>
              </figure>
            </div>
            <div className="actions" role="group" aria-label={`Choose for: ${label}`}>
              <button type="button" aria-pressed={chosen[entry.key] === entry.mine && !(entry.key in merging)} onClick={() => choose(entry.key, entry.mine)}>
                Keep mine
              </button>
              <button type="button" aria-pressed={chosen[entry.key] === entry.theirs && !(entry.key in merging)} onClick={() => choose(entry.key, entry.theirs)}>
                Take theirs
              </button>
              <button
                type="button"
                aria-pressed={entry.key in merging}
                onClick={() => {
                  const start = `${entry.mine}\n\n${entry.theirs}`;
                  setMerging((current) => ({ ...current, [entry.key]: start }));
                  setChosen((current) => ({ ...current, [entry.key]: start }));
                }}
              >
                Edit a merge
              </button>
            </div>
            {entry.key in merging && (
              <>
                <label htmlFor={`merge-${headingId}`}>Merged answer</label>
                <textarea
                  id={`merge-${headingId}`}
                  rows={6}
                  value={merging[entry.key]}
                  onChange={(event) => {
                    const text = event.target.value;
                    setMerging((current) => ({ ...current, [entry.key]: text }));
                    setChosen((current) => ({ ...current, [entry.key]: text }));
                  }}
                />
              </>
            )}
          </section>
        );
      })}
      <div className="actions">
        <button type="button" className="primary" disabled={!settled} onClick={finish}>
          Save my choices
        </button>
      </div>
    </dialog>
  );
}
