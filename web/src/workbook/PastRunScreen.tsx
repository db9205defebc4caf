import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { formatDate, messageOf } from '../app/format';
import { ScreenHeading } from '../app/ScreenHeading';
import { usePageTitle } from '../app/usePageTitle';
import { useFlow, workbookApi, workbookKeys } from './data';

/** A run imported from the earlier version (src/legacy): its prompts were not Mosaic's. */
const LEGACY_FLOW_VERSION = 0;

/**
 * The earlier version's answers by step and position: its prompt wording was never stored, so
 * none is shown; the k-th answer of a step answered that step's k-th prompt.
 */
function LegacyRun({ answers }: { answers: Record<string, string> }) {
  const byStep = new Map<number, [number, string][]>();
  for (const [key, text] of Object.entries(answers)) {
    const [step, position] = key.split('.').map(Number) as [number, number];
    byStep.set(step, [...(byStep.get(step) ?? []), [position, text]]);
  }
  const steps = [...byStep.keys()].sort((a, b) => a - b);
  return (
    <>
      <p>Imported from the earlier version of Mosaic, whose questions differed; each answer is shown under its step, in the order you gave it.</p>
      {steps.map((step) => (
        <section key={step} aria-labelledby={`legacy-step-${step}`}>
          <h2 id={`legacy-step-${step}`}>Step {step}</h2>
          <dl>
            {byStep
              .get(step)!
              .sort((a, b) => a[0] - b[0])
              .map(([position, text]) => (
                <div key={position}>
                  <dt>Answer {position}</dt>
                  <dd>{text}</dd>
                </div>
              ))}
          </dl>
        </section>
      ))}
    </>
  );
}

/** An archived workbook run, read-only. */
export default function PastRunScreen() {
  const id = Number(useParams().id);
  const flow = useFlow();
  usePageTitle('Past workbook run');
  const run = useQuery({
    queryKey: workbookKeys.run(id),
    queryFn: async () => (await workbookApi.run(id)).run,
    enabled: Number.isSafeInteger(id) && id > 0,
  });
  return (
    <section>
      <ScreenHeading>Past workbook run</ScreenHeading>
      <p>
        <Link to="/workbook">Back to the workbook</Link>
      </p>
      {run.isError && <p role="alert">{messageOf(run.error)}</p>}
      {run.data && flow.data && (
        <>
          <p>
            Started {formatDate(run.data.startedAt)}
            {run.data.archivedAt ? `, archived ${formatDate(run.data.archivedAt)}` : ''}. Read-only.
          </p>
          {run.data.flowVersion === LEGACY_FLOW_VERSION ? (
            <LegacyRun answers={run.data.answers} />
          ) : flow.data.steps.map((step) => (
            <section key={step.number} aria-labelledby={`run-step-${step.number}`}>
              <h2 id={`run-step-${step.number}`}>
                Step {step.number}: {step.title}
              </h2>
              <dl>
                {step.prompts.map((prompt) => (
                  <div key={prompt.key}>
                    <dt>{prompt.text}</dt>
                    <dd>{run.data.answers[prompt.key] || <em>No answer</em>}</dd>
                  </div>
                ))}
              </dl>
            </section>
          ))}
        </>
      )}
    </section>
  );
}
