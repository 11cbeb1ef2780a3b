import { Type } from '@sinclair/typebox';
import { AttachmentConfigSchema } from '@sapa/attachments';
import { BaseConfigSchema, loadConfig } from '@sapa/service-kit';

/** The WhatsApp (Baileys) service's environment: the shared variables, the attachment store, and its own. */
export function whatsappConfig(env: Record<string, string | undefined> = process.env) {
  return loadConfig(
    {
      ...BaseConfigSchema,
      ...AttachmentConfigSchema,
      /** Health, readiness and metrics only: numbers are reached through their sessions, not over HTTP. */
      WHATSAPP_PORT: Type.Integer({ minimum: 1, maximum: 65535, default: 3400 }),
      WHATSAPP_HOST: Type.String({ default: '127.0.0.1' }),
      /** How long a number's lease lives without renewal: a dead replica's numbers move after at most this (plus a scan). */
      WHATSAPP_LEASE_TTL_MS: Type.Integer({ minimum: 3000, maximum: 120_000, default: 10_000 }),
      /** Most numbers one replica holds; unset: as many as it can take. */
      WHATSAPP_MAX_SESSIONS: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
      /** Replies sent at once by this replica's outbound worker. */
      WHATSAPP_OUTBOUND_CONCURRENCY: Type.Integer({ minimum: 1, maximum: 256, default: 8 }),
    },
    env,
  );
}
export type WhatsappConfig = ReturnType<typeof whatsappConfig>;
