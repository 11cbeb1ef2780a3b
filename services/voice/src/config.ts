import { Type } from '@sinclair/typebox';
import { BaseConfigSchema, loadConfig } from '@sapa/service-kit';

/** The voice service's environment: the shared variables plus its own. */
export function voiceConfig(env: Record<string, string | undefined> = process.env) {
  return loadConfig(
    {
      ...BaseConfigSchema,
      /** Health, readiness and metrics only: calls arrive on queue `voice.events` and over AMI. */
      VOICE_PORT: Type.Integer({ minimum: 1, maximum: 65535, default: 3600 }),
      VOICE_HOST: Type.String({ default: '127.0.0.1' }),
      /** Call events applied at once per process; each holds one Postgres connection while it runs. */
      VOICE_CONCURRENCY: Type.Integer({ minimum: 1, maximum: 256, default: 8 }),
      /** How often AMI channels are listed and their leases renewed; a dead replica's PBX moves within 3 × this. */
      VOICE_AMI_SCAN_SECONDS: Type.Integer({ minimum: 1, maximum: 300, default: 5 }),
      /** `Action: Ping` interval on every AMI connection. */
      VOICE_AMI_KEEPALIVE_SECONDS: Type.Integer({ minimum: 1, maximum: 600, default: 20 }),
      /** Most AMI channels (PBX connections) one replica reads; unset: as many as its fair share. */
      VOICE_AMI_MAX_SESSIONS: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
      /** false: this replica applies call events only and reads no PBX. */
      VOICE_AMI_ENABLED: Type.Boolean({ default: true }),
    },
    env,
  );
}
export type VoiceConfig = ReturnType<typeof voiceConfig>;
