import { DEFAULT_GRAPH_API_BASE } from '@sapa/contracts';
import type { OpenedChannel } from '../channel-adapter.js';
import type { GraphAccount } from '../meta/graph-api.js';

/** The Graph API account of a whatsapp_cloud channel and the number it sends from. */
export interface WhatsappSender {
  account: GraphAccount;
  phoneNumberId: string;
}

export function whatsappSenderOf(channel: OpenedChannel): WhatsappSender {
  const { graphApiBase } = channel.row.config;
  return {
    account: { base: typeof graphApiBase === 'string' ? graphApiBase : DEFAULT_GRAPH_API_BASE, accessToken: sealed(channel, 'accessToken') },
    phoneNumberId: phoneNumberIdOf(channel),
  };
}

/** The business number's id on the Cloud API (`metadata.phone_number_id` in webhooks). */
export function phoneNumberIdOf(channel: OpenedChannel): string {
  const { phoneNumberId } = channel.row.config;
  if (typeof phoneNumberId !== 'string') throw new Error(`whatsapp_cloud channel ${channel.row.id} has no phoneNumberId; recreate the channel`);
  return phoneNumberId;
}

export function sealed(channel: OpenedChannel, name: 'accessToken' | 'appSecret' | 'verifyToken'): string {
  const value = channel.secrets[name];
  if (typeof value !== 'string' || value.length === 0) {
    throw new Error(`whatsapp_cloud channel ${channel.row.id} has no ${name}; recreate the channel`);
  }
  return value;
}
