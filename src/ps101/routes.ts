import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { requireUser } from '../auth/gate.js';
import { IdParams } from '../http/schemas.js';
import { PS101_FLOW, STEP_COUNT } from './flow.js';
import { Flow, RunDetail, RunList, WorkbookState } from './responses.js';
import { deleteWorkbookRun, getWorkbook, getWorkbookRun, listWorkbookRuns, restartWorkbook, updateWorkbook } from './service.js';
import { NoContent } from '../http/response-schemas.js';
import { limitPerUser } from '../limits/hooks.js';

// Lengths, counts and prompt keys are checked by the service, which answers with precise codes
// (answer_too_long, too_many_answers, unknown_prompt); the schema checks shapes and types.
const WorkbookUpdateBody = Type.Object(
  {
    revision: Type.Integer({ minimum: 0 }),
    currentStep: Type.Optional(Type.Integer({ minimum: 1, maximum: STEP_COUNT })),
    answers: Type.Optional(Type.Record(Type.String(), Type.String())),
    complete: Type.Optional(Type.Literal(true)),
  },
  { additionalProperties: false },
);

// A full workbook (every prompt at the answer limit) is well over the server's default 1 MiB.
const WORKBOOK_BODY_LIMIT = 8 * 1024 * 1024;

export async function ps101Routes(parent: FastifyInstance): Promise<void> {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const { db } = app.ctx;

  // The flow is the same for everyone and needs no login.
  app.get('/flow', { schema: { response: { 200: Flow } } }, async () => PS101_FLOW);

  app.get('/', { schema: { response: { 200: WorkbookState } } }, async (request) => getWorkbook(db, requireUser(request).userId));

  app.put('/', { schema: { body: WorkbookUpdateBody, response: { 200: WorkbookState } }, bodyLimit: WORKBOOK_BODY_LIMIT }, async (request) =>
    updateWorkbook(db, requireUser(request).userId, request.body),
  );

  app.post('/restart', { schema: { response: { 201: WorkbookState } }, preHandler: limitPerUser('workbookRestarts') }, async (request, reply) =>
    reply.code(201).send(await restartWorkbook(db, requireUser(request).userId, app.ctx.config.maxWorkbookRunsPerUser)),
  );

  app.get('/runs', { schema: { response: { 200: RunList } } }, async (request) => ({ runs: await listWorkbookRuns(db, requireUser(request).userId) }));

  app.get('/runs/:id', { schema: { params: IdParams, response: { 200: RunDetail } } }, async (request) => ({
    run: await getWorkbookRun(db, requireUser(request).userId, request.params.id),
  }));

  app.delete('/runs/:id', { schema: { params: IdParams, response: { 204: NoContent } } }, async (request, reply) => {
    await deleteWorkbookRun(db, requireUser(request).userId, request.params.id);
    return reply.code(204).send();
  });
}
