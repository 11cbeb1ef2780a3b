import { Type } from '@sinclair/typebox';
import { AttachmentConfigSchema } from '@sapa/attachments';
import { BaseConfigSchema, loadConfig } from '@sapa/service-kit';

/** The email service's environment: the shared variables plus its own. */
export function emailConfig(env: Record<string, string | undefined> = process.env) {
  return loadConfig(
    {
      ...BaseConfigSchema,
      /** Health, readiness and metrics only: mail comes by IMAP, replies by queue. */
      EMAIL_PORT: Type.Integer({ minimum: 1, maximum: 65535, default: 3500 }),
      EMAIL_HOST: Type.String({ default: '127.0.0.1' }),
      /** How long a mailbox lease lives unrenewed: a dead replica's mailboxes move to another within about this. */
      EMAIL_LEASE_MS: Type.Integer({ minimum: 1000, maximum: 300_000, default: 15_000 }),
      /** How often email channels are listed and free mailboxes taken. */
      EMAIL_SCAN_SECONDS: Type.Integer({ minimum: 1, maximum: 3600, default: 5 }),
      /** Most mailboxes one replica watches (each an IDLE connection); unset: as many as its fair share. */
      EMAIL_MAX_MAILBOXES: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
      /** Replies sent at once per process. */
      EMAIL_SEND_CONCURRENCY: Type.Integer({ minimum: 1, maximum: 256, default: 8 }),
      /** Longest wait for an SMTP server to answer one step. */
      EMAIL_SEND_TIMEOUT_MS: Type.Integer({ minimum: 1000, maximum: 300_000, default: 30_000 }),
      // Where stored attachments live: the same store as the gateway's and the inbox API's.
      ...AttachmentConfigSchema,
    },
    env,
  );
}
export type EmailConfig = ReturnType<typeof emailConfig>;
