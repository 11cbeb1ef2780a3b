import { Type } from '@sinclair/typebox';
import { AttachmentConfigSchema } from '@sapa/attachments';
import { BaseConfigSchema, loadConfig } from '@sapa/service-kit';

/** The gateway on this machine (api-contract.md §Defaults): where providers push unless SAPA_PUBLIC_WEBHOOK_URL says otherwise. */
export const DEFAULT_PUBLIC_WEBHOOK_URL = 'http://127.0.0.1:3100';

/** Environment of the inbox API (api-contract.md §Configuration). */
export const InboxConfigSchema = {
  ...BaseConfigSchema,
  INBOX_PORT: Type.Integer({ default: 3000, minimum: 0, maximum: 65535 }),
  /** Interface to listen on; 0.0.0.0 inside a container. */
  INBOX_HOST: Type.String({ default: '127.0.0.1', minLength: 1 }),
  /** How long a login session lasts, in seconds. */
  INBOX_SESSION_TTL_SECONDS: Type.Integer({ default: 12 * 3600, minimum: 60, maximum: 30 * 24 * 3600 }),
  /** Length of one wall-clock minute of playbook SLAs, in ms: shorten it only to watch reminders fire in a demo or test. */
  SAPA_SLA_MINUTE_MS: Type.Integer({ default: 60_000, minimum: 1, maximum: 60_000 }),
  /** The gateway's public base URL, registered with providers that push to webhooks (Telegram's setWebhook). */
  SAPA_PUBLIC_WEBHOOK_URL: Type.String({ default: DEFAULT_PUBLIC_WEBHOOK_URL, pattern: '^https?://[^/?#\\s]+(/[^?#\\s]*)?$' }),
  /** The inbox API's public base URL: signed links to stored files (message listings) are made on it. */
  SAPA_PUBLIC_API_URL: Type.String({ default: 'http://127.0.0.1:3000', pattern: '^https?://[^/?#\\s]+(/[^?#\\s]*)?$' }),
  ...AttachmentConfigSchema,
};

export function loadInboxConfig(env: Record<string, string | undefined> = process.env) {
  return loadConfig(InboxConfigSchema, env);
}
export type InboxConfig = ReturnType<typeof loadInboxConfig>;
