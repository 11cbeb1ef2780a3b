/**
 * Message-IDs as threading compares them: one `<local@domain>` each, angle brackets on, surrounding space off.
 * Mail clients write them loosely (no brackets, several per header, folded lines), so everything that reads a
 * Message-ID, In-Reply-To or References goes through here.
 */

const ID = /<[^<>\s]+>/g;

/** Every id in a header value, in order, without repeats; a bare `local@domain` without brackets is taken too. */
export function messageIdsIn(value: string | string[] | undefined | null): string[] {
  const text = Array.isArray(value) ? value.join(' ') : (value ?? '');
  const bracketed = text.match(ID);
  const found = bracketed ?? text.split(/[\s,]+/).filter((t) => /^[^@\s]+@[^@\s]+$/.test(t)).map((t) => `<${t}>`);
  return [...new Set(found)];
}

/** One id, or undefined when the value holds none. */
export function messageIdOf(value: string | undefined | null): string | undefined {
  return messageIdsIn(value)[0];
}

/**
 * The ids a mail answers, nearest first: In-Reply-To, then References from the last (the parent) back to the
 * thread's root. Threading tries them in this order (RFC 5322 §3.6.4).
 */
export function threadCandidates(inReplyTo: string | undefined | null, references: string | string[] | undefined | null): string[] {
  return [...new Set([...messageIdsIn(inReplyTo), ...messageIdsIn(references).reverse()])];
}

/** How many ids a reply's References keeps: the root and the nearest ones, as RFC 5322 allows trimming the middle. */
export const MAX_REFERENCES = 20;

/** A reply's References: the parent's References then the parent's own id, trimmed in the middle past MAX_REFERENCES. */
export function replyReferences(parentReferences: readonly string[], parentId: string): string[] {
  const all = [...new Set([...parentReferences, parentId])];
  if (all.length <= MAX_REFERENCES) return all;
  return [all[0]!, ...all.slice(all.length - (MAX_REFERENCES - 1))];
}
