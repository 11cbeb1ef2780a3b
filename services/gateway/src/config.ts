import { Type } from '@sinclair/typebox';
import { AttachmentConfigSchema } from '@sapa/attachments';
import { BaseConfigSchema, loadConfig } from '@sapa/service-kit';

/** The gateway's environment (api-contract.md §Configuration). */
export const GatewayConfigSchema = {
  ...BaseConfigSchema,
  GATEWAY_PORT: Type.Integer({ default: 3100, minimum: 0, maximum: 65535 }),
  /** Where the webhook listener binds; 0.0.0.0 in a container, loopback on a developer's machine. */
  GATEWAY_HOST: Type.String({ default: '127.0.0.1', minLength: 1 }),
  /** The gateway's public base URL: signed attachment links for channels that fetch files by URL are made on it. */
  /** Proxies in front of the gateway whose X-Forwarded-For is believed: `false`, `true` (any), or addresses/CIDRs (comma-separated). */
  GATEWAY_TRUST_PROXY: Type.String({ default: 'false', pattern: '^(true|false|[0-9a-fA-F:.,/ ]+)$' }),
  /** Lets integrators' attachment links point at private addresses (a closed network); off: only public hosts. */
  SAPA_MEDIA_ALLOW_PRIVATE_HOSTS: Type.Boolean({ default: false }),
  SAPA_PUBLIC_WEBHOOK_URL: Type.String({ default: 'http://127.0.0.1:3100', pattern: '^https?://[^/?#\\s]+(/[^?#\\s]*)?$' }),
  ...AttachmentConfigSchema,
};

export type GatewayConfig = ReturnType<typeof loadGatewayConfig>;

export function loadGatewayConfig(env: Record<string, string | undefined> = process.env) {
  return loadConfig(GatewayConfigSchema, env);
}

/** GATEWAY_TRUST_PROXY as fastify's trustProxy takes it. */
export function trustProxyOf(value: string): boolean | string[] {
  if (value === 'true' || value === 'false') return value === 'true';
  return value.split(',').map((v) => v.trim()).filter(Boolean);
}
