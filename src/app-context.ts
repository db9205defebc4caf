import type { Kysely } from 'kysely';
import type { CoachProvider } from './coach/provider.js';
import type { Config } from './config.js';
import type { Backend } from './db/connection.js';
import type { Persistence } from './db/persistence.js';
import type { DB } from './db/schema.js';

/** What every route plugin can reach: decorated once on the Fastify instance by the server. */
export interface AppContext {
  db: Kysely<DB>;
  backend: Backend;
  config: Config;
  /** Whether the data survives a redeploy, and why (reported by /health). */
  persistence: Persistence;
  /** Answers chat messages: offline, or an OpenAI-compatible model (config.coach). */
  coach: CoachProvider;
}

declare module 'fastify' {
  interface FastifyInstance {
    ctx: AppContext;
  }
}
