/** Why a send failed, and whether trying again can help (a 5xx from the SMTP server will not change by itself). */
export class SendFailure extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = 'SendFailure';
  }
}

/**
 * Reads a nodemailer error: a permanent SMTP refusal (5xx: unknown mailbox, refused sender, message too big) or a
 * wrong login is not retried; a connection problem or a 4xx (greylisting, busy) is.
 */
export function smtpFailure(err: unknown): SendFailure {
  const e = err as { responseCode?: number; code?: string; message?: string };
  const message = `SMTP: ${e.message ?? String(err)}`.slice(0, 1000);
  if (e.code === 'EAUTH') return new SendFailure(message, false);
  if (typeof e.responseCode === 'number' && e.responseCode >= 500) return new SendFailure(message, false);
  return new SendFailure(message, true);
}
