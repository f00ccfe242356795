/** Outgoing email. The shell implements it over SMTP, or logs in development. */
export interface Mail {
  to: string;
  subject: string;
  text: string;
  /** A link the mail carries; a development mailer may print it, a real one just sends the text. */
  link?: string;
}

export interface Mailer {
  send(mail: Mail): Promise<void>;
}
