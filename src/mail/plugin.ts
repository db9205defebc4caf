import type { FastifyInstance } from 'fastify';
import { Outbox } from './outbox.js';
import { MailSender } from './sender.js';
import { smtpTransport } from './transport.js';

/**
 * Gives the app its outbox (`app.mail`) and, when SMTP_URL is set, a sender running from the
 * moment the app is ready until it closes.
 */
export function registerMail(app: FastifyInstance): void {
  const { config, db, backend } = app.ctx;
  const outbox = new Outbox(config.mail);
  app.decorate('mail', outbox);
  let sender: MailSender | undefined;
  app.decorate('mailSender', () => sender);
  const smtpUrl = config.mail.smtpUrl;
  if (smtpUrl === null) return;
  app.addHook('onReady', async () => {
    sender = new MailSender(db, backend, config.mail, await smtpTransport({ ...config.mail, smtpUrl }), app.log);
    outbox.onWake(() => sender?.wake());
    sender.start();
  });
  app.addHook('onClose', async () => {
    await sender?.stop();
  });
}
