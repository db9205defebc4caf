import { Type, type Static } from 'typebox';
import { Id, NullableInteger, NullableTimestamp, StringMap, Timestamp } from '../http/response-schemas.js';

const Prompt = Type.Object({
  key: Type.String({ description: '`"<step>.<prompt>"`, 1-based, e.g. `"3.2"`' }),
  text: Type.String(),
});
const Step = Type.Object({
  number: Type.Integer(),
  title: Type.String(),
  intro: Type.String({ description: "one sentence on why this step matters, shown above its prompts" }),
  prompts: Type.Array(Prompt),
});
export const Flow = Type.Object({ version: Type.Integer(), steps: Type.Array(Step) });
export type Ps101Prompt = Static<typeof Prompt>;
export type Ps101Step = Static<typeof Step>;
export type Ps101Flow = Static<typeof Flow>;

export const WorkbookState = Type.Object({
  runId: NullableInteger({ description: 'null until the first save' }),
  flowVersion: Type.Integer(),
  currentStep: Type.Integer(),
  answers: StringMap,
  completedAt: NullableTimestamp,
  revision: Type.Integer(),
  startedAt: NullableTimestamp,
  updatedAt: NullableTimestamp,
});
/** The live workbook as the API shows it. A user who never started gets revision 0 and no run. */
export type WorkbookState = Static<typeof WorkbookState>;

const runSummaryFields = {
  id: Id,
  flowVersion: Type.Integer(),
  currentStep: Type.Integer(),
  answeredCount: Type.Integer(),
  completedAt: NullableTimestamp,
  startedAt: Timestamp,
  updatedAt: Timestamp,
  archivedAt: NullableTimestamp,
};
const RunSummary = Type.Object(runSummaryFields);
export type RunSummary = Static<typeof RunSummary>;

export const RunList = Type.Object({ runs: Type.Array(RunSummary) });
export const RunDetail = Type.Object({ run: Type.Object({ ...runSummaryFields, answers: StringMap }) });
export type RunList = Static<typeof RunList>;
export type RunDetail = Static<typeof RunDetail>;
/** A past (or the live) run with its answers. */
export type WorkbookRun = RunDetail['run'];
export type Answers = Static<typeof StringMap>;
