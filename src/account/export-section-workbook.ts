import type { Selectable } from 'kysely';
import type { Ps101RunsTable } from '../db/schema.js';
import { readJson } from '../db/values.js';
import { PS101_FLOW } from '../ps101/flow.js';
import { PagedList } from './export-json.js';
import type { ExportedAnswer } from './responses.js';
import { readableTime } from './export-readable.js';
import { eachRow, PAGE_ROWS, type ExportSection } from './export-section.js';
import * as store from './store.js';

type Run = Selectable<Ps101RunsTable>;

const keyOrder = (key: string) => key.split('.').map(Number);
const byKey = (a: string, b: string) => {
  const [sa = 0, pa = 0] = keyOrder(a);
  const [sb = 0, pb = 0] = keyOrder(b);
  return sa - sb || pa - pb;
};

/** The run's non-empty answers in the workbook's order, each with its question when known. */
export function answersWithQuestions(run: Pick<Run, 'answers' | 'flow_version'>): ExportedAnswer[] {
  const answers = readJson<Record<string, string>>(run.answers);
  const current = run.flow_version === PS101_FLOW.version;
  return Object.keys(answers)
    .filter((key) => typeof answers[key] === 'string' && answers[key].trim() !== '')
    .sort(byKey)
    .map((key) => {
      const stepNumber = keyOrder(key)[0] ?? 0;
      const step = current ? PS101_FLOW.steps[stepNumber - 1] : undefined;
      return {
        key,
        step: stepNumber,
        stepTitle: step?.title ?? null,
        question: step?.prompts.find((prompt) => prompt.key === key)?.text ?? null,
        answer: answers[key]!,
      };
    });
}

function runJson(run: Run) {
  return {
    id: run.id,
    flowVersion: run.flow_version,
    currentStep: run.current_step,
    revision: run.revision,
    answers: answersWithQuestions(run),
    startedAt: run.started_at,
    updatedAt: run.updated_at,
    completedAt: run.completed_at,
    archivedAt: run.archived_at,
  };
}

export const workbookSection: ExportSection = {
  key: 'workbook',
  json: ({ db, userId }) => ({ runs: new PagedList(PAGE_ROWS.large, (page) => store.listWorkbookRuns(db, userId, page), (rows) => rows.map(runJson)) }),

  async readable({ db, userId }, doc) {
    await doc.html('<section>\n<h2>Workbook</h2>\n');
    let any = false;
    // The live run first, then past runs oldest first: two passes over the pages, neither held whole.
    for (const live of [true, false]) {
      for await (const run of eachRow(PAGE_ROWS.large, (page) => store.listWorkbookRuns(db, userId, page))) {
        if ((run.archived_at === null) !== live) continue;
        any = true;
        await doc.element('h3', live ? 'Your workbook' : `Past run, started ${readableTime(run.started_at)}, set aside ${readableTime(run.archived_at!)}`);
        const answers = answersWithQuestions(run);
        if (answers.length === 0) await doc.element('p', 'No answers yet.', 'none');
        let step = 0;
        for (const answer of answers) {
          if (answer.step !== step) {
            step = answer.step;
            await doc.element('h4', answer.stepTitle ? `Step ${step}: ${answer.stepTitle}` : `Step ${step}`);
          }
          await doc.element('p', answer.question ?? `Question ${answer.key} (from an earlier version of the workbook; its wording was not kept)`, 'q');
          await doc.element('p', answer.answer, 'a');
        }
      }
    }
    if (!any) await doc.element('p', 'You have not started the workbook.', 'none');
    await doc.html('</section>\n');
  },
};
