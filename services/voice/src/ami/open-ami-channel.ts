import type { Channel, SecretBox } from '@sapa/db';
import { DEFAULT_ORIGINATE, type OriginateSettings } from './ami-originate.js';
import type { AmiChannel } from './ami-session.js';

/**
 * An `asterisk_ami` channel as the voice service uses it: its readable AMI settings (channels.config.ami) with the
 * sealed AMI secret opened, and how it places click-to-calls; undefined when they are unusable (recreate the channel).
 */
export function openAmiChannel(row: Pick<Channel, 'id' | 'tenant_id' | 'config' | 'secrets_enc'>, secretBox: SecretBox): (AmiChannel & { originate: OriginateSettings }) | undefined {
  const config = row.config as { provider?: unknown; ami?: Record<string, unknown> };
  const ami = config.ami;
  if (config.provider !== 'asterisk_ami' || !ami) return undefined;
  let secret: unknown;
  try {
    secret = row.secrets_enc ? secretBox.open<Record<string, unknown>>(row.secrets_enc).amiSecret : undefined;
  } catch {
    secret = undefined;
  }
  if (typeof ami.host !== 'string' || typeof ami.port !== 'number' || typeof ami.user !== 'string' || typeof secret !== 'string') return undefined;
  return {
    tenantId: row.tenant_id,
    channelId: row.id,
    host: ami.host,
    port: ami.port,
    user: ami.user,
    secret,
    ...(typeof ami.recordingBaseUrl === 'string' && { recordingBaseUrl: ami.recordingBaseUrl }),
    originate: {
      context: typeof ami.originateContext === 'string' ? ami.originateContext : DEFAULT_ORIGINATE.context,
      technology: ami.endpointTechnology === 'SIP' || ami.endpointTechnology === 'IAX2' ? ami.endpointTechnology : DEFAULT_ORIGINATE.technology,
    },
  };
}
