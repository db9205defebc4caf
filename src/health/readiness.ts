/**
 * Whether this instance should get traffic: `starting` until it listens with its schema up to
 * date, `ready` while it serves, `draining` from SIGTERM until it exits. Only readiness
 * (`GET /health/ready`) reports it; liveness (`GET /health`) stays 200 throughout, since a
 * draining or starting process is not a dead one.
 */
export type ReadinessState = 'starting' | 'ready' | 'draining';

export class Readiness {
  #state: ReadinessState = 'starting';

  get state(): ReadinessState {
    return this.#state;
  }

  get draining(): boolean {
    return this.#state === 'draining';
  }

  /** Listening, schema current: balancers may send traffic. */
  markReady(): void {
    if (this.#state === 'starting') this.#state = 'ready';
  }

  /** Shutting down: readiness fails at once, so balancers stop sending new connections. */
  startDraining(): void {
    this.#state = 'draining';
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    /** This instance's readiness (src/health/readiness.ts). */
    readiness: Readiness;
  }
}
