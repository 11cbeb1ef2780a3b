import { SendFailure } from '@sapa/gateway';

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
