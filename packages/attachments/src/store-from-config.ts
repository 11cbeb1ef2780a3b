import { Type, type Static } from '@sinclair/typebox';
import { ConfigError, loadConfig } from '@sapa/service-kit';
import type { AttachmentStore } from './attachment-store.js';
import { createLocalDiskStore } from './local-disk-store.js';
import { createS3Store } from './s3-store.js';

/** Where attachments are kept (spread into the config schema of every service that reads or writes them). */
export const AttachmentConfigSchema = {
  /** Folder of the local disk store, used unless SAPA_S3_BUCKET is set. */
  SAPA_ATTACHMENTS_DIR: Type.String({ default: './.sapa/attachments', minLength: 1 }),
  /** Setting a bucket moves attachments to S3 (or any S3-compatible store at SAPA_S3_ENDPOINT). */
  SAPA_S3_BUCKET: Type.Optional(Type.String({ minLength: 3, maxLength: 63, pattern: '^[a-z0-9][a-z0-9.-]+[a-z0-9]$' })),
  /** An S3-compatible endpoint (MinIO, Ceph, R2 …); unset for AWS. */
  SAPA_S3_ENDPOINT: Type.Optional(Type.String({ pattern: '^https?://[^/?#\\s]+/?$' })),
  SAPA_S3_REGION: Type.String({ default: 'us-east-1', minLength: 1 }),
  /** Unset (with the secret): the SDK's default credential chain (environment, instance role). */
  SAPA_S3_ACCESS_KEY_ID: Type.Optional(Type.String({ minLength: 1 })),
  SAPA_S3_SECRET_ACCESS_KEY: Type.Optional(Type.String({ minLength: 1 })),
  /** Bucket in the path rather than the host name; defaults to true when SAPA_S3_ENDPOINT is set (self-hosted stores). */
  SAPA_S3_FORCE_PATH_STYLE: Type.Optional(Type.Boolean()),
};
export type AttachmentConfig = Static<ReturnType<typeof Type.Object<typeof AttachmentConfigSchema>>>;

/**
 * The store the configuration names: S3 when SAPA_S3_BUCKET is set, else the local folder. Takes the environment or
 * a service's already loaded config (which spreads AttachmentConfigSchema), and throws a ConfigError naming every
 * bad variable.
 */
export function attachmentStoreFromConfig(env: Readonly<Record<string, unknown>>): AttachmentStore {
  const config = loadConfig(AttachmentConfigSchema, stringsOf(env));
  if (config.SAPA_S3_BUCKET === undefined) return createLocalDiskStore(config.SAPA_ATTACHMENTS_DIR);
  if ((config.SAPA_S3_ACCESS_KEY_ID === undefined) !== (config.SAPA_S3_SECRET_ACCESS_KEY === undefined)) {
    throw new ConfigError(['SAPA_S3_ACCESS_KEY_ID and SAPA_S3_SECRET_ACCESS_KEY: set both, or neither to use the default AWS credential chain']);
  }
  return createS3Store({
    bucket: config.SAPA_S3_BUCKET,
    region: config.SAPA_S3_REGION,
    ...(config.SAPA_S3_ENDPOINT !== undefined && { endpoint: config.SAPA_S3_ENDPOINT }),
    ...(config.SAPA_S3_ACCESS_KEY_ID !== undefined && { accessKeyId: config.SAPA_S3_ACCESS_KEY_ID }),
    ...(config.SAPA_S3_SECRET_ACCESS_KEY !== undefined && { secretAccessKey: config.SAPA_S3_SECRET_ACCESS_KEY }),
    forcePathStyle: config.SAPA_S3_FORCE_PATH_STYLE ?? config.SAPA_S3_ENDPOINT !== undefined,
  });
}

function stringsOf(env: Readonly<Record<string, unknown>>): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const key of Object.keys(AttachmentConfigSchema)) {
    const value = env[key];
    if (value !== undefined && value !== null) out[key] = String(value);
  }
  return out;
}
