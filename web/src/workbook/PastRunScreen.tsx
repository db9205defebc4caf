import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { api } from '../api/client';
import { formatDate, messageOf } from '../app/format';
import { ScreenHeading } from '../app/ScreenHeading';
import { useFlow } from './queries';

/** An archived workbook run, read-only. */
export default function PastRunScreen() {
  const id = Number(useParams().id);
  const flow = useFlow();
  const run = useQuery({
    queryKey: ['workbook', 'run', id],
    queryFn: async () => (await api.workbookRun(id)).run,
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
          {flow.data.steps.map((step) => (
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
