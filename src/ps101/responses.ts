import { Type } from 'typebox';
import { Id, NullableInteger, NullableTimestamp, StringMap, Timestamp } from '../http/response-schemas.js';

export const Flow = Type.Object({
  version: Type.Integer(),
  steps: Type.Array(
    Type.Object({
      number: Type.Integer(),
      title: Type.String(),
      intro: Type.String(),
      prompts: Type.Array(Type.Object({ key: Type.String(), text: Type.String() })),
    }),
  ),
});

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

export const RunList = Type.Object({ runs: Type.Array(Type.Object(runSummaryFields)) });
export const RunDetail = Type.Object({ run: Type.Object({ ...runSummaryFields, answers: StringMap }) });
