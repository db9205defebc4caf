import type { Kysely } from 'kysely';
import type { Config } from '../config.js';
import type { Backend } from '../db/connection.js';
import type { Persistence } from '../db/persistence.js';
import type { DB } from '../db/schema.js';
import type { PasswordHasher } from '../auth/passwords.js';
import type { SessionUser } from '../auth/sessions.js';
import type { CoachProvider } from '../coach/provider.js';
import type { Outbox } from '../mail/outbox.js';
import type { MailSender } from '../mail/sender.js';

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
    /** Admits every Argon2id hash and verification (src/auth/passwords.ts). */
    passwords: PasswordHasher;
    /** Where services queue mail, in their own transaction (src/mail/outbox.ts). */
    mail: Outbox;
    /** This instance's mail sender, once ready; undefined without SMTP_URL. */
    mailSender: () => MailSender | undefined;
  }
  interface FastifyRequest {
    /** The session's user, set by the auth gate; null on public routes without a valid session. */
    auth: SessionUser | null;
  }
}
