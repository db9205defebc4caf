import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { requireUser } from '../auth/gate.js';
import { NoContent } from '../http/response-schemas.js';
import { IdParams } from '../http/schemas.js';
import { MatchDetail, MatchList, Refresh, TrackedJobDetail, TrackedJobList } from './responses.js';
import { getMatch, listMatches, MATCH_STATUSES, refreshMatches, requireMatch, toPublicMatch, trackMatch } from './service.js';
import { JOB_STATUSES } from './statuses.js';
import { createJob, deleteJob, editJob, getJob, JOB_FIELD_MAX, JOBS_MAX_PER_USER, jobFromMatch, listJobs, moveJob } from './tracked-jobs.js';

const Tracking = Type.Object(
  {
    status: Type.Union(MATCH_STATUSES.map((status) => Type.Literal(status))),
    notes: Type.Optional(Type.Union([Type.String({ maxLength: 5000 }), Type.Null()])),
  },
  { additionalProperties: false },
);

const BoardStatus = Type.Union(JOB_STATUSES.map((status) => Type.Literal(status)));
const Text = (maxLength: number) => Type.Optional(Type.Union([Type.String({ maxLength }), Type.Null()]));
// The shape only; the service rejects dates not in the calendar (2026-02-30).
const Deadline = Type.Optional(Type.Union([Type.String({ pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' }), Type.Null()]));
const jobFields = {
  company: Text(JOB_FIELD_MAX.company),
  url: Text(JOB_FIELD_MAX.url),
  location: Text(JOB_FIELD_MAX.location),
  salary: Text(JOB_FIELD_MAX.salary),
  deadline: Deadline,
  contact: Text(JOB_FIELD_MAX.contact),
  notes: Text(JOB_FIELD_MAX.notes),
};
const NewJob = Type.Object(
  { title: Type.String({ minLength: 1, maxLength: JOB_FIELD_MAX.title }), ...jobFields, status: Type.Optional(BoardStatus) },
  { additionalProperties: false },
);
const JobEdit = Type.Object(
  { version: Type.Integer({ minimum: 1 }), title: Type.Optional(Type.String({ minLength: 1, maxLength: JOB_FIELD_MAX.title })), ...jobFields },
  { additionalProperties: false },
);
const JobMove = Type.Object({ status: BoardStatus }, { additionalProperties: false });

export async function jobsRoutes(parent: FastifyInstance): Promise<void> {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const { db } = app.ctx;

  app.post('/matches/refresh', { schema: { response: { 200: Refresh } } }, async (request) => refreshMatches(db, requireUser(request).userId));

  app.get('/matches', { schema: { response: { 200: MatchList } } }, async (request) => ({ matches: await listMatches(db, requireUser(request).userId) }));

  app.get('/matches/:id', { schema: { params: IdParams, response: { 200: MatchDetail } } }, async (request) => ({
    match: await getMatch(db, requireUser(request).userId, request.params.id),
  }));

  app.patch('/matches/:id', { schema: { params: IdParams, body: Tracking, response: { 200: MatchDetail } } }, async (request) => ({
    match: await trackMatch(db, requireUser(request).userId, request.params.id, request.body),
  }));

  // "Add to my jobs": the match becomes a job on the board (the same job when added twice).
  app.post('/matches/:id/track', { schema: { params: IdParams, response: { 200: TrackedJobDetail, 201: TrackedJobDetail } } }, async (request, reply) => {
    const { userId } = requireUser(request);
    const match = toPublicMatch(await requireMatch(db, userId, request.params.id));
    const { job, created } = await jobFromMatch(db, userId, match);
    return reply.code(created ? 201 : 200).send({ job });
  });

  app.get('/tracked', { schema: { response: { 200: TrackedJobList } } }, async (request) => ({
    jobs: await listJobs(db, requireUser(request).userId),
    limit: JOBS_MAX_PER_USER,
  }));

  app.post('/tracked', { schema: { body: NewJob, response: { 201: TrackedJobDetail } } }, async (request, reply) =>
    reply.code(201).send({ job: await createJob(db, requireUser(request).userId, request.body) }),
  );

  app.get('/tracked/:id', { schema: { params: IdParams, response: { 200: TrackedJobDetail } } }, async (request) => ({
    job: await getJob(db, requireUser(request).userId, request.params.id),
  }));

  app.patch('/tracked/:id', { schema: { params: IdParams, body: JobEdit, response: { 200: TrackedJobDetail } } }, async (request) => ({
    job: await editJob(db, requireUser(request).userId, request.params.id, request.body),
  }));

  app.put('/tracked/:id/status', { schema: { params: IdParams, body: JobMove, response: { 200: TrackedJobDetail } } }, async (request) => ({
    job: await moveJob(db, requireUser(request).userId, request.params.id, request.body.status),
  }));

  app.delete('/tracked/:id', { schema: { params: IdParams, response: { 204: NoContent } } }, async (request, reply) => {
    await deleteJob(db, requireUser(request).userId, request.params.id);
    return reply.code(204).send();
  });
}
