import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { requireUser } from '../auth/gate.js';
import { limitPerUser } from '../limits/hooks.js';
import { LegacyClaim, LegacyPreview } from './responses.js';
import { claimLegacyWork, previewLegacyWork } from './service.js';

/** The predecessor's session id, as its browser kept it in `localStorage.delta_session_id`: a UUID4 without dashes. */
const LegacySessionBody = Type.Object(
  { sessionId: Type.String({ pattern: '^[0-9a-fA-F]{32}$', description: 'the earlier version’s session id (32 hex characters)' }) },
  { additionalProperties: false },
);

/**
 * `/api/legacy/*`: a person with a Mosaic session (guest or registered) brings over the work
 * their browser's legacy session id holds. Both routes count against the same per-user limit,
 * so a session cannot be used to probe ids in bulk.
 */
export async function legacyRoutes(parent: FastifyInstance): Promise<void> {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const { db } = app.ctx;

  app.post('/preview', { schema: { body: LegacySessionBody, response: { 200: LegacyPreview } }, preHandler: limitPerUser('legacyClaims') }, async (request) => ({
    found: await previewLegacyWork(db, request.body.sessionId),
  }));

  app.post('/claim', { schema: { body: LegacySessionBody, response: { 200: LegacyClaim } }, preHandler: limitPerUser('legacyClaims') }, async (request) => ({
    claimed: await claimLegacyWork(db, requireUser(request).userId, request.body.sessionId),
  }));
}
