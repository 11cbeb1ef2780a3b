import type { LivechatPreChatForm, PreChatAnswers, PreChatFieldKey } from '@sapa/contracts';
import { phoneToE164 } from '@sapa/handling';

/** Why one answer of the form is refused; the widget shows each in the visitor's language. */
export type PreChatErrorCode = 'required' | 'invalid_phone' | 'invalid_email' | 'phone_or_email_required';

export interface PreChatError {
  field: PreChatFieldKey;
  code: PreChatErrorCode;
}

/** The visitor as the form describes them: trimmed, the phone in E.164. */
export interface PreChatVisitor {
  name: string | null;
  phone: string | null;
  email: string | null;
}

export type PreChatCheck = { ok: true; visitor: PreChatVisitor } | { ok: false; errors: PreChatError[] };

// One address, no spaces, a dot in the domain: what a person types, not everything RFC 5322 allows.
const EMAIL = /^[^\s@]{1,64}@[^\s@]+\.[^\s@]{2,}$/;

/**
 * Checks the pre-chat answers against the channel's form: required fields present, a phone that libphonenumber finds
 * valid (Indonesia when no country code is typed: 0812… → +62812…), an email of the usual shape, and, when the form
 * says `phoneOrEmail`, at least one of the two. Fields the form does not show are ignored. Every problem is listed.
 */
export function checkPreChat(form: LivechatPreChatForm, answers: PreChatAnswers): PreChatCheck {
  const shown = new Map(form.fields.map((f) => [f.key, f.required === true]));
  const given = (key: PreChatFieldKey): string | null => (shown.has(key) ? answers[key]?.trim() || null : null);
  const errors: PreChatError[] = [];
  for (const [key, required] of shown) if (required && !given(key)) errors.push({ field: key, code: 'required' });

  let phone: string | null = null;
  const typedPhone = given('phone');
  if (typedPhone) {
    phone = phoneToE164(typedPhone) ?? null;
    if (!phone) errors.push({ field: 'phone', code: 'invalid_phone' });
  }
  const email = given('email');
  if (email && !EMAIL.test(email)) errors.push({ field: 'email', code: 'invalid_email' });

  const asksBoth = shown.has('phone') && shown.has('email');
  const contactRefused = errors.some((e) => e.field === 'phone' || e.field === 'email');
  if ((form.phoneOrEmail ?? true) && asksBoth && !typedPhone && !email && !contactRefused) {
    errors.push({ field: 'phone', code: 'phone_or_email_required' });
  }
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, visitor: { name: given('name'), phone, email: email?.toLowerCase() ?? null } };
}
