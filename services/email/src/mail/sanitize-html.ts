import sanitizeHtml from 'sanitize-html';

/**
 * What agents may be shown of a customer's HTML mail: text formatting, lists, tables, links and inline pictures
 * already stored by Sapa. No scripts, styles, forms, frames or event handlers; no remote images either (a remote
 * image is a tracking pixel that tells the sender when an agent opened the mail), and links open in a new tab
 * without telling the target where they came from.
 */
const OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: [
    'a', 'b', 'blockquote', 'br', 'caption', 'code', 'div', 'em', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr', 'i', 'img', 'li',
    'ol', 'p', 'pre', 's', 'small', 'span', 'strong', 'sub', 'sup', 'table', 'tbody', 'td', 'tfoot', 'th', 'thead', 'tr', 'u', 'ul',
  ],
  allowedAttributes: { a: ['href', 'title'], img: ['src', 'alt', 'title', 'width', 'height'], td: ['colspan', 'rowspan'], th: ['colspan', 'rowspan'] },
  allowedSchemes: ['http', 'https', 'mailto', 'tel'],
  allowedSchemesByTag: { img: ['cid', 'sapa-attachment'] },
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  // Text inside these is code or layout, never something the customer wrote.
  nonTextTags: ['style', 'script', 'textarea', 'option', 'noscript', 'title', 'head'],
  transformTags: { a: sanitizeHtml.simpleTransform('a', { target: '_blank', rel: 'noopener noreferrer nofollow' }) },
};

/** The customer's HTML as agents may see it (sanitize-html); an empty result is null. */
export function sanitizeMailHtml(html: string | undefined | null): string | null {
  if (!html) return null;
  const clean = sanitizeHtml(html, { ...OPTIONS, allowedAttributes: { ...OPTIONS.allowedAttributes, a: ['href', 'title', 'target', 'rel'] } }).trim();
  return clean.length > 0 ? clean : null;
}
