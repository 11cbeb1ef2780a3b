import { DEFAULT_GRAPH_API_BASE } from '@sapa/contracts';
import type { OpenedChannel } from '../channel-adapter.js';
import type { GraphAccount } from '../meta/graph-api.js';

/** The two channel types the Messenger Platform serves through a Facebook Page. */
export type PageMessagingType = 'messenger' | 'instagram';

/** The Graph API account of a messenger or instagram channel, and the Page it sends as. */
export interface PageSender {
  account: GraphAccount;
  pageId: string;
}

export function pageSenderOf(channel: OpenedChannel): PageSender {
  const { graphApiBase } = channel.row.config;
  return {
    account: { base: typeof graphApiBase === 'string' ? graphApiBase : DEFAULT_GRAPH_API_BASE, accessToken: sealed(channel, 'pageAccessToken') },
    pageId: configured(channel, 'pageId')!,
  };
}

/**
 * The `entry[].id` of this channel's webhook entries: the Page id on Messenger; on Instagram the professional
 * account's id when the channel knows it (`instagramAccountId`), else undefined (every entry is the channel's).
 */
export function entryIdOf(channel: OpenedChannel): string | undefined {
  return channel.row.type === 'instagram' ? configured(channel, 'instagramAccountId', false) : configured(channel, 'pageId');
}

export function sealed(channel: OpenedChannel, name: 'pageAccessToken' | 'appSecret' | 'verifyToken'): string {
  const value = channel.secrets[name];
  if (typeof value !== 'string' || value.length === 0) {
    throw new Error(`${channel.row.type} channel ${channel.row.id} has no ${name}; recreate the channel`);
  }
  return value;
}

function configured(channel: OpenedChannel, name: string, required = true): string | undefined {
  const value = channel.row.config[name];
  if (typeof value === 'string' && value.length > 0) return value;
  if (required) throw new Error(`${channel.row.type} channel ${channel.row.id} has no ${name}; recreate the channel`);
  return undefined;
}
