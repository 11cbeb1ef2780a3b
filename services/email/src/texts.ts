import type { Locale } from '@sapa/handling';
import type { RefusedEmailAttachment } from '@sapa/db/queries/email';

/**
 * The line added to a mail's text for each attachment Sapa would not keep, so the agent knows the customer sent
 * it and can ask for it another way (issue 8 item 4: oversized attachments refused with a clear error).
 */
const REFUSED: Record<Locale, Record<string, string>> = {
  id: {
    attachment_too_large: '[Lampiran tidak diterima: {name} ({size}) melebihi batas ukuran]',
    attachment_type_refused: '[Lampiran tidak diterima: {name} ({type}) bukan jenis berkas yang diizinkan]',
  },
  en: {
    attachment_too_large: '[Attachment not accepted: {name} ({size}) is over the size limit]',
    attachment_type_refused: '[Attachment not accepted: {name} ({type}) is not an allowed kind of file]',
  },
};

/** One line per refused attachment, in the tenant's language. */
export function refusedAttachmentLines(locale: Locale, refused: readonly RefusedEmailAttachment[]): string[] {
  return refused.map((r) =>
    (REFUSED[locale][r.code] ?? REFUSED[locale].attachment_type_refused!)
      .replace('{name}', r.filename ?? (locale === 'id' ? 'tanpa nama' : 'unnamed'))
      .replace('{size}', `${(r.size / (1024 * 1024)).toFixed(1)} MB`)
      .replace('{type}', r.contentType),
  );
}

/** The subject of a reply in a thread that had none. */
export function fallbackSubject(locale: Locale, brand: string): string {
  return locale === 'id' ? `Balasan dari ${brand}` : `Reply from ${brand}`;
}
