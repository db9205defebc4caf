import type { FastifyInstance, FastifyRequest } from 'fastify';
import { unauthenticated } from '../errors.js';
import { clientAddress } from '../http/client-address.js';
import { addressSubject, consume, creationRule, userSubject, type AddressKind, type UserKind } from './service.js';

// Route-level preHandlers: they run after the body is validated (a malformed request costs
// nothing) and before the handler does the work, so a refused upload is never even read.

/** Limits a kind of creation per client address (as `TRUST_PROXY` lets it be read: src/http/client-address.ts). */
export function limitPerAddress(kind: AddressKind) {
  return async function (this: FastifyInstance, request: FastifyRequest): Promise<void> {
    await consume(this.ctx.db, creationRule(this.ctx.config, kind), addressSubject(clientAddress(request)));
  };
}

/** Limits a kind of creation per user; used on routes behind the session gate (`request.auth`). */
export function limitPerUser(kind: UserKind) {
  return async function (this: FastifyInstance, request: FastifyRequest): Promise<void> {
    if (!request.auth) throw unauthenticated();
    await consume(this.ctx.db, creationRule(this.ctx.config, kind), userSubject(request.auth.userId));
  };
}
