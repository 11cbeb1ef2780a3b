import type { LivechatMessageView } from '@sapa/contracts';
import type { TranscriptLine } from '@sapa/db/queries/livechat';

type StoredAttachment = { url: string; contentType: string; filename?: string; id?: string; size?: number };

/** How the widget reaches a stored file: a signed link when the gateway can make one, else none (the name is shown). */
export type LinkOf = ((attachmentId: string) => string) | undefined;

/** A message's files as the visitor sees them: links for stored files when there is a signer, the channel URL otherwise. */
export function visitorAttachments(attachments: readonly StoredAttachment[], linkOf: LinkOf): LivechatMessageView['attachments'] {
  return attachments.map((a) => {
    let url = a.url;
    if (a.id !== undefined) {
      try {
        url = linkOf ? linkOf(a.id) : '';
      } catch {
        url = '';
      }
    }
    return { url, contentType: a.contentType, ...(a.filename !== undefined && { filename: a.filename }), ...(a.size !== undefined && { size: a.size }) };
  });
}

/** The widget's id of a visitor's message: its external id is `<visitor id>/<widget message id>`. */
export function clientIdOf(externalId: string | null, visitorId: string): string | undefined {
  const prefix = `${visitorId}/`;
  return externalId?.startsWith(prefix) ? externalId.slice(prefix.length) : undefined;
}

/** One line of the transcript as the widget shows it. */
export function transcriptView(line: TranscriptLine, visitorId: string, linkOf: LinkOf): LivechatMessageView {
  const clientId = line.direction === 'in' ? clientIdOf(line.external_id, visitorId) : undefined;
  return {
    id: line.id,
    ...(clientId !== undefined && { clientId }),
    direction: line.direction,
    authorType: line.author_type,
    authorName: line.author_type === 'agent' ? line.author_name : null,
    text: line.text,
    attachments: visitorAttachments(line.attachments, linkOf),
    createdAt: line.at,
  };
}
