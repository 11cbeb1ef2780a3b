import { sql } from 'kysely';
import type { Message } from '../schema.js';
import type { Db } from './db-handle.js';

/** An inbound message whose files the media worker fetches, with what it needs to fetch them and to tell the inbox. */
export interface MessageWithMedia {
  message: Pick<Message, 'id' | 'conversation_id' | 'channel_id' | 'attachments' | 'direction'>;
  channel: { id: string; type: string };
  conversation: { id: string; teamId: string | null; assigneeId: string | null };
}

/** The message, its channel and its conversation's audience; undefined when the message is gone (or another tenant's). */
export async function findMessageWithMedia(db: Db, tenantId: string, messageId: string): Promise<MessageWithMedia | undefined> {
  const row = await db
    .selectFrom('messages as m')
    .innerJoin('channels as ch', 'ch.id', 'm.channel_id')
    .innerJoin('conversations as c', 'c.id', 'm.conversation_id')
    .select(['m.id', 'm.conversation_id', 'm.channel_id', 'm.attachments', 'm.direction', 'ch.type as channel_type', 'c.team_id', 'c.assignee_id'])
    .where('m.tenant_id', '=', tenantId)
    .where('m.id', '=', messageId)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    message: { id: row.id, conversation_id: row.conversation_id, channel_id: row.channel_id, attachments: row.attachments, direction: row.direction },
    channel: { id: row.channel_id, type: row.channel_type },
    conversation: { id: row.conversation_id, teamId: row.team_id, assigneeId: row.assignee_id },
  };
}

/** Replaces one attachment of a message (by its position), leaving the others as they are now in the row. */
export async function setMessageAttachment(db: Db, tenantId: string, messageId: string, index: number, attachment: Message['attachments'][number]): Promise<void> {
  await db
    .updateTable('messages')
    // One element in place (jsonb_set), so the row is never rewritten from a stale copy of the whole list.
    .set({ attachments: sql<string>`jsonb_set(attachments, ${`{${index}}`}::text[], ${JSON.stringify(attachment)}::jsonb)` })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', messageId)
    .execute();
}

/**
 * The id of a channel's message Sapa stored whose files are still to be fetched (an attachment with neither `id`
 * nor `error`); undefined when there is none. For a redelivered inbound job: the first try may have stored the
 * message and died before asking for its files.
 */
export async function findInboundAwaitingMedia(db: Db, tenantId: string, channelId: string, externalId: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('messages')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where('channel_id', '=', channelId)
    .where('external_id', '=', externalId)
    .where('direction', '=', 'in')
    .where(sql<boolean>`jsonb_path_exists(attachments, '$[*] ? (!exists(@.id) && !exists(@.error))')`)
    .executeTakeFirst();
  return row?.id;
}
