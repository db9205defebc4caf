import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { requireUser } from '../auth/gate.js';
import { IdParams } from '../http/schemas.js';
import { MatchDetail, MatchList, Refresh } from './responses.js';
import { getMatch, listMatches, MATCH_STATUSES, refreshMatches, trackMatch } from './service.js';

const Tracking = Type.Object(
  {
    status: Type.Union(MATCH_STATUSES.map((status) => Type.Literal(status))),
    notes: Type.Optional(Type.Union([Type.String({ maxLength: 5000 }), Type.Null()])),
  },
  { additionalProperties: false },
);

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
}
