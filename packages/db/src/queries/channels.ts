import type { Channel } from '../schema.js';
import type { Db } from './db-handle.js';

/** A channel of the tenant, or undefined (also when it belongs to another tenant). */
export function findChannel(db: Db, tenantId: string, channelId: string): Promise<Channel | undefined> {
  return db.selectFrom('channels').selectAll().where('tenant_id', '=', tenantId).where('id', '=', channelId).executeTakeFirst();
}

/**
 * Looks a channel up by id alone: only for the gateway, where the channel id in a webhook URL is what
 * names the tenant. The caller must verify the webhook's signature before trusting anything else.
 */
export function findChannelForWebhook(db: Db, channelId: string): Promise<Channel | undefined> {
  return db.selectFrom('channels').selectAll().where('id', '=', channelId).executeTakeFirst();
}

export function listChannels(db: Db, tenantId: string): Promise<Channel[]> {
  return db.selectFrom('channels').selectAll().where('tenant_id', '=', tenantId).orderBy('created_at').orderBy('id').execute();
}

export interface NewChannel {
  type: string;
  name: string;
  teamId: string | null;
  config: Record<string, unknown>;
  secretsEnc: string | null;
  status?: string;
}

export function insertChannel(db: Db, tenantId: string, channel: NewChannel): Promise<Channel> {
  return db
    .insertInto('channels')
    .values({
      tenant_id: tenantId,
      type: channel.type,
      name: channel.name,
      team_id: channel.teamId,
      config: JSON.stringify(channel.config),
      secrets_enc: channel.secretsEnc,
      ...(channel.status ? { status: channel.status } : {}),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}
