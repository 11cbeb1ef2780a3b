import { AGENT_LINK_TTL_SECONDS, MAX_ATTACHMENT_BYTES, saveAttachment, withSignedUrls, type AttachmentStore } from '@sapa/attachments';
import type { Attachment, ChannelType, MediaFetch } from '@sapa/contracts';
import type { SecretBox } from '@sapa/db';
import type { Db } from '@sapa/db/queries/db-handle';
import { findChannel } from '@sapa/db/queries/channels';
import { findMessageWithMedia, setMessageAttachment, type MessageWithMedia } from '@sapa/db/queries/message-attachments';
import type { EventBus } from '@sapa/queue';
import { SapaError, type Logger } from '@sapa/service-kit';
import { SendFailure, type AttachmentAccess, type MediaFetcher, type OpenedChannel } from '../channels/channel-adapter.js';
import { MediaTooLarge } from '../channels/download-media.js';
import { adapterFor } from '../channels/registry.js';
import { openChannel } from '../outbound/open-channel.js';

export interface MediaDeps {
  db: Db;
  store: AttachmentStore;
  secretBox: SecretBox;
  eventBus: EventBus;
  logger: Logger;
  /** The tenant's stored files, for the signed links the `message.updated` event carries. */
  attachmentsFor: (tenantId: string) => AttachmentAccess;
  /** Longest wait for one file (default 30 s: a 100 MB video on a slow CDN). */
  fetchTimeoutMs?: number;
  /** Lets integrators' links name private addresses (tests, a closed network); see MediaFetchOptions. */
  allowPrivateHosts?: boolean;
}

export type MediaOutcome = 'stored' | 'nothing_to_fetch' | 'no_fetcher' | 'message_gone';

/** Why a file was not kept, as recorded on the attachment. */
type Refusal = 'attachment_too_large' | 'attachment_type_refused' | 'attachment_unavailable';

/**
 * One `media.fetch` job: every file of an inbound message that Sapa does not hold yet is fetched through its
 * channel's adapter, checked (limits of the channel, sniffed type) and kept; the message's attachment then carries
 * `id`, `size` and the real type. A file that can never be had (too large, refused, gone) is recorded with an
 * `error` instead of being dropped; one that may come later (timeout, 5xx) is retried with the job, and recorded
 * as `attachment_unavailable` after the last attempt. The inbox hears of each change (`message.updated`).
 */
export async function fetchMessageMedia(deps: MediaDeps, job: MediaFetch, isLastAttempt: boolean): Promise<MediaOutcome> {
  const found = await findMessageWithMedia(deps.db, job.tenantId, job.messageId);
  if (!found) return 'message_gone';
  const pending = found.message.attachments.flatMap((a, index) => (a.id === undefined && a.error === undefined ? [{ a, index }] : []));
  if (pending.length === 0) return 'nothing_to_fetch';
  const fetcher = adapterFor(found.channel.type)?.media;
  // Without a fetcher the channel's own URL is all there is; readers follow it as it is.
  if (!fetcher) return 'no_fetcher';
  const row = await findChannel(deps.db, job.tenantId, found.channel.id);
  if (!row) return 'message_gone';
  const channel = openChannel(row, deps.secretBox);

  const attachments = [...found.message.attachments];
  let retryLater: unknown;
  for (const { a, index } of pending) {
    const outcome = await fetchOne(deps, fetcher, channel, job.tenantId, a);
    if ('retry' in outcome && !isLastAttempt) {
      retryLater ??= outcome.retry;
      continue;
    }
    const updated = 'stored' in outcome ? outcome.stored : { ...a, error: 'refused' in outcome ? outcome.refused : 'attachment_unavailable' };
    await setMessageAttachment(deps.db, job.tenantId, job.messageId, index, updated);
    attachments[index] = updated;
    deps.logger.info({ tenantId: job.tenantId, messageId: job.messageId, index, error: updated.error }, updated.error ? 'attachment not kept' : 'attachment kept');
  }
  if (attachments.some((a, i) => a !== found.message.attachments[i])) await publishAttachmentsChanged(deps, job.tenantId, found, attachments);
  if (retryLater !== undefined) throw retryLater;
  return 'stored';
}

type OneOutcome = { stored: Attachment } | { refused: Refusal } | { retry: unknown };

async function fetchOne(deps: MediaDeps, fetcher: MediaFetcher, channel: OpenedChannel, tenantId: string, a: Attachment): Promise<OneOutcome> {
  const limits = channel.row.type as ChannelType;
  try {
    const media = await fetcher.fetch(a.url, channel, {
      timeoutMs: deps.fetchTimeoutMs ?? 30_000,
      maxBytes: MAX_ATTACHMENT_BYTES[limits],
      allowPrivateHosts: deps.allowPrivateHosts ?? false,
    });
    const saved = await saveAttachment(
      { db: deps.db, store: deps.store },
      {
        tenantId,
        channelId: channel.row.id,
        limits,
        origin: 'inbound',
        body: media.body,
        // What the channel's message said first: a CDN often serves everything as application/octet-stream.
        declaredContentType: a.contentType || media.contentType,
        ...((a.filename ?? media.filename) !== undefined && { filename: a.filename ?? media.filename }),
      },
    );
    const { filename: _old, ...rest } = a;
    return { stored: { ...rest, id: saved.id, size: saved.size, contentType: saved.contentType, ...(saved.filename !== undefined && { filename: saved.filename }) } };
  } catch (err) {
    if (err instanceof MediaTooLarge) return { refused: 'attachment_too_large' };
    if (err instanceof SapaError && (err.code === 'attachment_too_large' || err.code === 'attachment_type_refused')) return { refused: err.code };
    if (err instanceof SendFailure && !err.retryable) return { refused: 'attachment_unavailable' };
    return { retry: err };
  }
}

/** `message.updated` with the message's attachments as they now are, stored ones behind fresh signed links. */
async function publishAttachmentsChanged(deps: MediaDeps, tenantId: string, found: MessageWithMedia, attachments: Attachment[]): Promise<void> {
  const { conversation } = found;
  const access = deps.attachmentsFor(tenantId);
  try {
    await deps.eventBus.publish({
      type: 'message.updated',
      tenantId,
      audience: { teamId: conversation.teamId, userIds: conversation.assigneeId ? [conversation.assigneeId] : [] },
      data: {
        id: found.message.id,
        conversationId: conversation.id,
        attachments: withSignedUrls(attachments, (id) => access.signedUrl(id, AGENT_LINK_TTL_SECONDS)),
      },
    });
  } catch (err) {
    // Postgres holds the change; the inbox finds it on its next listing.
    deps.logger.warn({ err, tenantId, conversationId: conversation.id }, 'could not publish message.updated');
  }
}
