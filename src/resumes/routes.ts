import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { requireUser } from '../auth/gate.js';
import { Id, IdParams } from '../http/schemas.js';
import { limitPerUser } from '../limits/hooks.js';
import { NoContent } from '../http/response-schemas.js';
import { FeedbackResponse, ResumeList, ResumeResponse } from './responses.js';
import { createResume, deleteResume, getResume, listResumes, reviewAndStore } from './service.js';

// Either content or fileId (checked in the service, which says which one is missing).
const NewResume = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    content: Type.Optional(Type.String({ minLength: 1, maxLength: 100_000 })),
    fileId: Type.Optional(Id),
    jobMatchId: Type.Optional(Type.Union([Id, Type.Null()])),
  },
  { additionalProperties: false },
);

export async function resumesRoutes(parent: FastifyInstance): Promise<void> {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const { db } = app.ctx;

  app.post('/', { schema: { body: NewResume, response: { 201: ResumeResponse } }, preHandler: limitPerUser('resumes') }, async (request, reply) => {
    const resume = await createResume(db, requireUser(request).userId, request.body);
    return reply.code(201).send({ resume });
  });

  app.get('/', { schema: { response: { 200: ResumeList } } }, async (request) => ({ resumes: await listResumes(db, requireUser(request).userId) }));

  app.get('/:id', { schema: { params: IdParams, response: { 200: ResumeResponse } } }, async (request) => ({
    resume: await getResume(db, requireUser(request).userId, request.params.id),
  }));

  app.delete('/:id', { schema: { params: IdParams, response: { 204: NoContent } } }, async (request, reply) => {
    await deleteResume(db, requireUser(request).userId, request.params.id);
    return reply.code(204).send();
  });

  app.post('/:id/feedback', { schema: { params: IdParams, response: { 201: FeedbackResponse } }, preHandler: limitPerUser('feedback') }, async (request, reply) => {
    const feedback = await reviewAndStore(db, requireUser(request).userId, request.params.id);
    return reply.code(201).send({ feedback });
  });
}
