import { Type } from 'typebox';
import { Id, NullableInteger, OrNull, Timestamp } from '../http/response-schemas.js';

const summaryFields = {
  id: Id,
  name: Type.String(),
  fileId: NullableInteger(),
  jobMatchId: NullableInteger(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
};

export const Feedback = Type.Object({
  id: Id,
  resumeId: Id,
  createdAt: Timestamp,
  length: Type.Object({
    words: Type.Integer(),
    verdict: Type.Union([Type.Literal('too_short'), Type.Literal('good'), Type.Literal('too_long')]),
    advice: Type.String(),
  }),
  quantifiedResults: Type.Object({ count: Type.Integer(), examples: Type.Array(Type.String()) }),
  actionVerbs: Type.Object({ count: Type.Integer(), found: Type.Array(Type.String()) }),
  summarySection: Type.Object({ present: Type.Boolean() }),
  jobMatch: OrNull(Type.Object({ id: Id, title: Type.String(), missingSkills: Type.Array(Type.String()) })),
  suggestions: Type.Array(Type.String()),
});

export const Resume = Type.Object({ ...summaryFields, content: Type.String(), feedback: Type.Array(Feedback) });

export const ResumeResponse = Type.Object({ resume: Resume });
export const ResumeList = Type.Object({ resumes: Type.Array(Type.Object(summaryFields)) });
export const FeedbackResponse = Type.Object({ feedback: Feedback });
