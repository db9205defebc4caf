import type { MailConfig } from '../config.js';

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html: string;
}

/** Hands one mail to the SMTP server; resolves once the server has accepted it. */
export interface MailTransport {
  send(mail: OutgoingMail): Promise<void>;
  close(): void;
}

/**
 * SMTP through nodemailer: `smtps://` speaks TLS from the start, `smtp://` upgrades with
 * STARTTLS whenever the server offers it; user and password come from the URL. Every step
 * has a timeout, so a hung server cannot hold a mail past its claim's lease (see sender.ts).
 * nodemailer loads only when mail is configured.
 */
export async function smtpTransport(config: MailConfig & { smtpUrl: string }): Promise<MailTransport> {
  const { default: nodemailer } = await import('nodemailer');
  const timeout = config.sendTimeoutSeconds * 1000;
  const transporter = nodemailer.createTransport(
    {
      url: config.smtpUrl,
      connectionTimeout: timeout,
      greetingTimeout: timeout,
      socketTimeout: timeout,
      // A mail is text Mosaic wrote: it never needs to read a file or fetch a URL.
      disableFileAccess: true,
      disableUrlAccess: true,
    },
    { from: config.from },
  );
  return {
    async send(mail) {
      await transporter.sendMail({ to: mail.to, subject: mail.subject, text: mail.text, html: mail.html });
    },
    close() {
      transporter.close();
    },
  };
}
