import { BufferJSON, type BaileysEventMap, type WAMessage } from '@whiskeysockets/baileys';
import { receivedAtOf, type Attachment, type InboundMessage } from '@sapa/contracts';
import { saveAttachment, storedAttachmentUrl, type AttachmentStore } from '@sapa/attachments';
import type { Db } from '@sapa/db/queries/db-handle';
import { quarantineInbound } from '@sapa/db/queries/inbound-quarantine';
import { acceptInbound, seenKey, type AcceptDeps } from '@sapa/gateway';
import { SapaError, type Logger } from '@sapa/service-kit';
import type { WhatsappSocket } from '../socket/whatsapp-socket.js';
import { normaliseMessage, type MediaRef, type WhatsappInbound } from './normalise-message.js';

export interface InboundDeps {
  db: Db;
  store: AttachmentStore;
  /** The gateway's acceptInbound dependencies: the same seen-keys and producer, so dedupe is shared with it. */
  accept: AcceptDeps;
  logger: Logger;
  /** Delays between tries to enqueue (default 0.5, 1, 2, 4, 8, 16 s: past the 30 s life of another claim). */
  retryDelaysMs?: readonly number[];
}

export interface ChannelRef {
  tenantId: string;
  channelId: string;
}

const SOURCE = 'whatsapp_baileys';

/**
 * A `messages.upsert` → queue `inbound`, each customer message exactly once. WhatsApp does not send a message again
 * once Baileys has acknowledged it, so nothing here may drop one: enqueueing is retried, and a message that still
 * cannot be enqueued, or is of a kind Sapa cannot show, is kept in the inbound quarantine. Only `notify` upserts are
 * read: `append` ones are history and the business's own messages.
 */
export async function acceptUpsert(
  deps: InboundDeps,
  channel: ChannelRef,
  socket: Pick<WhatsappSocket, 'downloadMedia'>,
  upsert: BaileysEventMap['messages.upsert'],
  receivedAt: () => Date = () => new Date(),
): Promise<void> {
  if (upsert.type !== 'notify') return;
  // One accept time for the upsert, each message's place in it in the microseconds: the router stores them in this
  // order (a reconnect's backlog can come as one upsert), however long a download before one of them takes.
  const at = receivedAt();
  for (const [index, raw] of upsert.messages.entries()) {
    const normalised = normaliseMessage(raw);
    if (normalised.kind === 'skip') continue;
    if (normalised.kind === 'unsupported') {
      await keep(deps, channel, raw, normalised.reason);
      continue;
    }
    const { message } = normalised;
    // A message seen before (a reconnect replays the offline queue) is neither downloaded nor stored again.
    if ((await deps.accept.redis.get(seenKey(deps.accept.prefix, channel.channelId, message.externalMessageId))) === 'done') continue;
    const attachments = message.media ? [await fetchMedia(deps, channel, socket, raw, message)] : [];
    const inbound = toInbound(channel, message, attachments, receivedAtOf(at, index));
    if (!(await enqueueWithRetry(deps, inbound))) await keep(deps, channel, raw, 'enqueue_failed');
  }
}

function toInbound(channel: ChannelRef, message: WhatsappInbound, attachments: Attachment[], receivedAt: string): InboundMessage {
  return {
    tenantId: channel.tenantId,
    channelId: channel.channelId,
    channelType: 'whatsapp_baileys',
    externalMessageId: message.externalMessageId,
    from: message.from,
    ...(message.text !== undefined && { text: message.text }),
    attachments,
    ...(message.sentAt && { sentAt: message.sentAt }),
    receivedAt,
    ...(message.replyToExternalId && { replyToExternalId: message.replyToExternalId }),
  };
}

/**
 * The file behind a media message, held by Sapa. A file the channel's limits refuse, or that WhatsApp no longer
 * serves, stays on the message as a reference with the reason (`error`): the customer's words still arrive.
 */
async function fetchMedia(deps: InboundDeps, channel: ChannelRef, socket: Pick<WhatsappSocket, 'downloadMedia'>, raw: WAMessage, message: WhatsappInbound): Promise<Attachment> {
  const media = message.media as MediaRef;
  const reference = { url: `whatsapp-media:${message.externalMessageId}`, contentType: media.contentType, ...(media.filename && { filename: media.filename }) };
  let body: Buffer;
  try {
    body = await socket.downloadMedia(raw);
  } catch (err) {
    deps.logger.warn({ err, tenantId: channel.tenantId, channelId: channel.channelId }, 'could not download WhatsApp media');
    return { ...reference, error: 'attachment_unavailable' };
  }
  try {
    const stored = await saveAttachment(
      { db: deps.db, store: deps.store },
      {
        tenantId: channel.tenantId,
        channelId: channel.channelId,
        limits: 'whatsapp_baileys',
        origin: 'inbound',
        body,
        declaredContentType: media.contentType,
        ...(media.filename && { filename: media.filename }),
      },
    );
    return { url: storedAttachmentUrl(stored.id), contentType: stored.contentType, id: stored.id, size: stored.size, ...(stored.filename && { filename: stored.filename }) };
  } catch (err) {
    if (err instanceof SapaError && err.statusCode < 500) return { ...reference, error: err.code };
    throw err;
  }
}

async function enqueueWithRetry(deps: InboundDeps, inbound: InboundMessage): Promise<boolean> {
  const delays = deps.retryDelaysMs ?? [500, 1000, 2000, 4000, 8000, 16_000];
  for (let attempt = 0; ; attempt += 1) {
    try {
      await acceptInbound(deps.accept, inbound);
      return true;
    } catch (err) {
      const delay = delays[attempt];
      if (delay === undefined) {
        deps.logger.error({ err, tenantId: inbound.tenantId, channelId: inbound.channelId }, 'could not enqueue a WhatsApp message; quarantined');
        return false;
      }
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}

async function keep(deps: InboundDeps, channel: ChannelRef, raw: WAMessage, reason: string): Promise<void> {
  await quarantineInbound(deps.db, {
    tenantId: channel.tenantId,
    channelId: channel.channelId,
    source: SOURCE,
    reason,
    payload: JSON.stringify(raw, BufferJSON.replacer),
    details: { messageId: raw.key.id ?? null },
  });
  deps.logger.warn({ tenantId: channel.tenantId, channelId: channel.channelId, reason }, 'WhatsApp message quarantined');
}
