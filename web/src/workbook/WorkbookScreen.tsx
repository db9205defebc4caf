import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { Link } from 'react-router';
import type { Ps101Flow, User, WorkbookState } from '../api/types';
import { ConfirmDialog } from '../app/ConfirmDialog';
import { formatDate, messageOf, plural } from '../app/format';
import { ScreenHeading } from '../app/ScreenHeading';
import { usePageTitle } from '../app/usePageTitle';
import { useMe } from '../app/session';
import { unsentEditsKey } from '../autosave/queue';
import { ConflictDialog } from './ConflictDialog';
import { useFlow, useWorkbookRuns, useWorkbookState, workbookApi, workbookKeys } from './data';
import { SaveStatus } from './SaveStatus';
import { useAutosave, WORKBOOK_KEY } from './useAutosave';

export default function WorkbookScreen() {
  const me = useMe();
  const flow = useFlow();
  const workbook = useWorkbookState();
  const [run, setRun] = useState(0);
  usePageTitle('Workbook');
  if ((flow.isError && !flow.data) || (workbook.isError && !workbook.data)) {
    return (
      <section>
        <ScreenHeading>Workbook</ScreenHeading>
        <p role="alert">The workbook could not be loaded: {messageOf(flow.error ?? workbook.error)}</p>
      </section>
    );
  }
  // Wait for this visit's answer from the server, or its failure (then the kept state is used).
  const settled = workbook.isFetchedAfterMount || workbook.isError;
  if (!flow.data || !workbook.data || !me.data || !settled) return <p role="status">Loading the workbook…</p>;
  // A new key after a restart gives the fresh run its own autosave queue. (Not the run id: the
  // first save creates the run, and the queue that made it must stay.)
  return (
    <WorkbookEditor
      key={run}
      user={me.data}
      flow={flow.data}
      initial={workbook.data}
      onRestarted={() => setRun((n) => n + 1)}
    />
  );
}

interface EditorProps {
  user: User;
  flow: Ps101Flow;
  initial: WorkbookState;
  onRestarted(): void;
}

function WorkbookEditor({ user, flow, initial, onRestarted }: EditorProps) {
  const { queue, snapshot } = useAutosave(user.id, initial);
  const client = useQueryClient();
  const [confirmRestart, setConfirmRestart] = useState(false);
  const stepCount = flow.steps.length;
  const stepNumber = Math.min(Math.max(snapshot.unsentStep ?? snapshot.server.currentStep, 1), stepCount);
  const step = flow.steps[stepNumber - 1];
  const stepHeading = useRef<HTMLHeadingElement>(null);
  const movedByPerson = useRef(false);

  useEffect(() => {
    // After Next or Previous the focus goes to the new step's title, not back to the top.
    if (movedByPerson.current) stepHeading.current?.focus();
    movedByPerson.current = false;
  }, [stepNumber]);

  const restart = useMutation({
    mutationFn: async () => {
      await queue.flush();
      return workbookApi.restart();
    },
    onSuccess: (state) => {
      window.localStorage.removeItem(unsentEditsKey(user.id));
      client.setQueryData(WORKBOOK_KEY, state);
      void client.invalidateQueries({ queryKey: workbookKeys.runs() });
      setConfirmRestart(false);
      onRestarted();
    },
  });

  const goTo = (n: number) => {
    movedByPerson.current = true;
    queue.setStep(n);
  };
  const answeredIn = (n: number) =>
    (flow.steps[n - 1]?.prompts ?? []).filter((prompt) => queue.valueOf(prompt.key).trim() !== '').length;
  const promptText = (key: string) => flow.steps.flatMap((s) => s.prompts).find((p) => p.key === key)?.text ?? key;

  if (!step) return null;
  return (
    <div className="workbook">
      <div className="workbook-main">
        <ScreenHeading>PS101 workbook</ScreenHeading>
        <SaveStatus snapshot={snapshot} />
        <section aria-labelledby="step-title" className="step">
          <p className="step-count">
            Step {stepNumber} of {stepCount}
          </p>
          <h2 id="step-title" ref={stepHeading} tabIndex={-1}>
            {step.title}
          </h2>
          <p className="intro">{step.intro}</p>
          {step.prompts.map((prompt) => {
            const id = `answer-${prompt.key.replace('.', '-')}`;
            const unsent = prompt.key in snapshot.unsent;
            return (
              <div className="prompt" key={prompt.key}>
                <label htmlFor={id}>{prompt.text}</label>
                <textarea
                  id={id}
                  rows={5}
                  value={queue.valueOf(prompt.key)}
                  onChange={(event) => queue.edit(prompt.key, event.target.value)}
                  aria-describedby={unsent ? `${id}-unsent` : undefined}
                />
                {unsent && (
                  <p id={`${id}-unsent`} className="unsent">
                    Not sent yet
                  </p>
                )}
              </div>
            );
          })}
          <div className="actions step-nav">
            <button type="button" onClick={() => goTo(stepNumber - 1)} disabled={stepNumber <= 1}>
              Previous step
            </button>
            <button type="button" className="primary" onClick={() => goTo(stepNumber + 1)} disabled={stepNumber >= stepCount}>
              Next step
            </button>
          </div>
        </section>
      </div>
      <aside className="workbook-side" aria-labelledby="overview-title">
        <h2 id="overview-title">All ten steps</h2>
        <ol className="overview">
          {flow.steps.map((s) => (
            <li key={s.number}>
              <button
                type="button"
                className="link"
                aria-current={s.number === stepNumber ? 'step' : undefined}
                onClick={() => goTo(s.number)}
              >
                {s.number}. {s.title}
              </button>{' '}
              <span className="count">
                {answeredIn(s.number)} of {s.prompts.length} answered
              </span>
            </li>
          ))}
        </ol>
        <button type="button" onClick={() => setConfirmRestart(true)}>
          Restart the workbook
        </button>
        {restart.isError && <p role="alert" className="error">{messageOf(restart.error)}</p>}
        <PastRuns />
      </aside>
      <ConfirmDialog
        open={confirmRestart}
        title="Restart the workbook?"
        confirmLabel="Restart"
        onConfirm={() => restart.mutate()}
        onCancel={() => setConfirmRestart(false)}
      >
        <p>Your current answers are archived: you can still read them under “Past runs”, but not change them.</p>
      </ConfirmDialog>
      <ConflictDialog conflict={snapshot.conflict} promptText={promptText} onResolve={(resolution) => void queue.resolve(resolution)} />
    </div>
  );
}

function PastRuns() {
  const runs = useWorkbookRuns();
  const past = (runs.data ?? []).filter((run) => run.archivedAt !== null);
  if (past.length === 0) return null;
  return (
    <section aria-labelledby="past-runs-title">
      <h2 id="past-runs-title">Past runs</h2>
      <ul>
        {past.map((run) => (
          <li key={run.id}>
            <Link to={`/workbook/runs/${run.id}`}>
              {run.flowVersion === 0 ? 'From the earlier version: started' : 'Started'} {formatDate(run.startedAt)}, {plural(run.answeredCount, 'answer', 'answers')}
            </Link>
          </li>
        ))}
      </ul>
    </section>
  );
}
