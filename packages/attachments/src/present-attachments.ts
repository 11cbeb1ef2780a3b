import type { Attachment } from '@sapa/contracts';

/**
 * A message's attachments as a reader gets them: every file Sapa holds (`id` set) gets a fresh signed `url` from
 * `linkOf`; the rest keep what the channel gave (a file still being fetched, or one refused with `error`).
 */
export function withSignedUrls(attachments: readonly Attachment[], linkOf: (attachmentId: string) => string): Attachment[] {
  return attachments.map((a) => (a.id !== undefined && a.error === undefined ? { ...a, url: linkOf(a.id) } : a));
}

/** The `url` a message stores for a file Sapa holds: not a place to fetch from, readers are given a signed link instead. */
export function storedAttachmentUrl(attachmentId: string): string {
  return `sapa-attachment:${attachmentId}`;
}
