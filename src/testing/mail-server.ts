import type { AddressObject } from 'mailparser';
import { simpleParser } from 'mailparser';
import { after, before } from 'node:test';
import { SMTPServer } from 'smtp-server';
import type { Backend } from '../db/connection.js';
import { createTestApp, type TestApp } from './app.js';
import { loadConfig, type MailConfig } from '../config.js';
import { freePort } from './ports.js';

export interface CapturedMail {
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Whether the session had been upgraded to TLS (STARTTLS) when the mail was handed over. */
  secure: boolean;
  /** The user the client authenticated as. */
  user: string | undefined;
}

const USER = 'mosaic';
const PASSWORD = 'smtp secret 42';

function addresses(field: AddressObject | AddressObject[] | undefined): string {
  const list = Array.isArray(field) ? field : field ? [field] : [];
  return list.flatMap((a) => a.value.map((v) => v.address ?? '')).join(',');
}

/**
 * A real SMTP server (the smtp-server package) on 127.0.0.1 that keeps every mail it accepts.
 * It offers STARTTLS with the package's self-signed certificate and demands a login, so the
 * URL tests give Mosaic carries credentials and trusts that certificate explicitly.
 */
export class TestMailServer {
  readonly mails: CapturedMail[] = [];
  #server: SMTPServer | undefined;
  #waiters: (() => void)[] = [];

  private constructor(readonly port: number) {}

  static async start(port?: number): Promise<TestMailServer> {
    const server = new TestMailServer(port ?? (await freePort()));
    await server.listen();
    return server;
  }

  /** SMTP_URL for this server. */
  get url(): string {
    return `smtp://${USER}:${encodeURIComponent(PASSWORD)}@127.0.0.1:${this.port}/?tls.rejectUnauthorized=false`;
  }

  /** (Re)starts listening on the same port, after `stop`. */
  async listen(): Promise<void> {
    const server = new SMTPServer({
      logger: false,
      onAuth: (auth, _session, callback) => {
        if (auth.username === USER && auth.password === PASSWORD) callback(null, { user: auth.username });
        else callback(new Error('Invalid username or password'));
      },
      onData: (stream, session, callback) => {
        simpleParser(stream)
          .then((parsed) => {
            this.mails.push({
              from: addresses(parsed.from),
              to: addresses(parsed.to),
              subject: parsed.subject ?? '',
              text: parsed.text ?? '',
              html: typeof parsed.html === 'string' ? parsed.html : '',
              secure: session.secure,
              user: typeof session.user === 'string' ? session.user : undefined,
            });
            for (const wake of this.#waiters.splice(0)) wake();
            callback();
          })
          .catch(callback);
      },
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.#server = server;
  }

  /** Stops listening: Mosaic's deliveries fail until `listen` again. */
  async stop(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** The mails to this address so far, of one subject when `subject` is given. */
  to(address: string, subject?: string): CapturedMail[] {
    return this.mails.filter((m) => m.to === address && (subject === undefined || m.subject === subject));
  }

  /** Waits for the `count`-th mail to `address` with this subject (default the first), failing after `timeoutMs`. */
  async waitFor(address: string, subject: string, count = 1, timeoutMs = 30_000): Promise<CapturedMail> {
    const deadline = Date.now() + timeoutMs;
    while (this.to(address, subject).length < count) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no mail #${count} "${subject}" to ${address} within ${timeoutMs} ms (have ${this.to(address, subject).length})`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 500));
        this.#waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.to(address, subject)[count - 1]!;
  }
}

/** The token in a mail's link to `page` (from the plain-text part), and the link itself. */
export function linkIn(mail: CapturedMail, page: string): { link: string; token: string } {
  const match = new RegExp(`(\\S+${page.replace(/[/]/g, '\\/')}#token=([A-Za-z0-9_-]{43}))`).exec(mail.text);
  if (!match) throw new Error(`no ${page} link in the mail:\n${mail.text}`);
  return { link: match[1]!, token: match[2]! };
}

export const PUBLIC_URL = 'https://mosaic.example.org';

/** The mail configuration of an app sending through `server`, links from PUBLIC_URL, retries after a second. */
export function mailConfig(server: TestMailServer, publicUrl = PUBLIC_URL): MailConfig {
  return {
    ...loadConfig({}).mail,
    smtpUrl: server.url,
    publicUrl,
    from: 'Mosaic <no-reply@mosaic.example.org>',
    retryFirstSeconds: 1,
    pollSeconds: 1,
    sendTimeoutSeconds: 5,
  };
}

/** The same as environment variables, for a `mosaic serve` process. */
export function mailEnv(server: TestMailServer, publicUrl = PUBLIC_URL): Record<string, string> {
  return {
    SMTP_URL: server.url,
    PUBLIC_URL: publicUrl,
    MAIL_FROM: 'Mosaic <no-reply@mosaic.example.org>',
    MAIL_RETRY_FIRST_SECONDS: '1',
    MAIL_POLL_SECONDS: '1',
    MAIL_SEND_TIMEOUT_SECONDS: '5',
  };
}

/** Subjects of the mails Mosaic sends (src/mail/templates.ts). */
export const SUBJECTS = {
  reset: 'Set a new Mosaic password',
  verify: 'Confirm your address for Mosaic',
  change: 'Confirm your new address for Mosaic',
  changed: 'Your Mosaic address was changed',
} as const;

/**
 * The real app sending mail to a real SMTP server, for one describe block: both started
 * before its tests, stopped after them.
 */
export function useMailTestApp(backend: Backend, ...[overrides, options]: Parameters<typeof createTestApp> extends [unknown, ...infer Rest] ? Rest : never) {
  let app: TestApp | undefined;
  let server: TestMailServer | undefined;
  before(async () => {
    server = await TestMailServer.start();
    app = await createTestApp(backend, { ...overrides, mail: mailConfig(server) }, options);
  });
  after(async () => {
    await app?.close();
    await server?.stop();
  });
  return {
    get t(): TestApp {
      if (!app) throw new Error('the test app was used outside its describe block');
      return app;
    },
    get mail(): TestMailServer {
      if (!server) throw new Error('the mail server was used outside its describe block');
      return server;
    },
  };
}
