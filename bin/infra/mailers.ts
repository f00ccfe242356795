import nodemailer from 'nodemailer';
import type { Logger } from 'pino';
import type { Mail, Mailer } from '../../core/ports/mailer.js';

export function smtpMailer(url: string, from: string): Mailer {
  const transport = nodemailer.createTransport(url);
  return {
    async send(mail: Mail) {
      await transport.sendMail({ from, to: mail.to, subject: mail.subject, text: mail.text });
    },
  };
}

/**
 * Without SMTP: in development the link is logged so people can click it; in production and in
 * tests nothing carrying a token is ever logged, only that a mail could not be sent.
 */
export function logMailer(logger: Logger, logLinks: boolean): Mailer {
  return {
    async send(mail: Mail) {
      if (logLinks) logger.info({ to: mail.to, link: mail.link }, 'development mail (SMTP_URL unset)');
      else logger.warn({ subject: mail.subject }, 'SMTP_URL is not set: email not sent');
    },
  };
}

/**
 * Keeps the last mails sent (newest last) in memory as well as handing them on: outside production
 * and without SMTP, this is how people and tests open their verification and reset links.
 */
export function capturingMailer(next: Mailer, limit = 50): Mailer & { outbox: Mail[] } {
  const outbox: Mail[] = [];
  return {
    outbox,
    async send(mail: Mail) {
      outbox.push(mail);
      if (outbox.length > limit) outbox.shift();
      await next.send(mail);
    },
  };
}
