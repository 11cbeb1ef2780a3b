import { pino, type Logger, type LoggerOptions } from 'pino';

/**
 * Paths pino replaces with "[redacted]": credentials and personal data never reach a log in clear
 * (ARCHITECTURE.md §Guarantees). Phone numbers and e-mail addresses are PII under Indonesia's PDP law.
 */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-sapa-signature"]',
  'req.headers["x-hub-signature-256"]',
  'req.headers["x-telegram-bot-api-secret-token"]',
  'headers.authorization',
  ...['password', 'token', 'secret', 'secrets', 'accessToken', 'botToken', 'appSecret', 'apiKey', 'phone', 'email', 'text',
    // A contact's profile attributes (issue 5), which verification compares: personal data.
    'attributes', 'registeredName', 'agentId', 'registeredPhone', 'uplineId']
    .flatMap((k) => [k, `*.${k}`, `*.*.${k}`]),
];

export interface LoggerSettings {
  service: string;
  level: string;
  /** Pretty lines for a person at a terminal; JSON for everything else (default: whether stdout is a TTY). */
  pretty?: boolean;
}

/** The one way Sapa services build their logger. */
export function createLogger(settings: LoggerSettings): Logger {
  const options: LoggerOptions = {
    name: settings.service,
    level: settings.level,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
  };
  const pretty = settings.pretty ?? process.stdout.isTTY === true;
  if (pretty) {
    return pino({ ...options, transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' } } });
  }
  return pino(options);
}

export type { Logger } from 'pino';
