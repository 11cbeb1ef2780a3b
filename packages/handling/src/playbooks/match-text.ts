import { MATCH_NORMALIZATIONS } from './gate-schema.js';

export type MatchNormalization = (typeof MATCH_NORMALIZATIONS)[number];

// complaint-playbooks.md §Account 6: the bank account holder name "WAJIB sama dengan nama agen terdaftar". Banks print
// names in capitals and agents type them with stray spaces, so case and spacing do not count; letters do.
const SPACES = /[\s\u200b-\u200d\ufeff]+/gu;

/** A name compared "ignoring case and spacing": Unicode-normalised (NFKC), lower case, without any space. */
export function normalizeName(name: string): string {
  return name.normalize('NFKC').toLowerCase().replace(SPACES, '');
}

/** An Indonesian phone number as digits with the country code: `0812-3456` and `+62 812 3456` both give `628123456`. */
export function normalizePhone(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  return digits.startsWith('0') ? `62${digits.slice(1)}` : digits;
}

/** Whether two texts are the same under a gate's normalisation; a blank text never matches. */
export function textsMatch(a: string, b: string, normalize: MatchNormalization): boolean {
  const norm = normalize === 'name' ? normalizeName : normalize === 'phone' ? normalizePhone : (s: string) => s.trim();
  const left = norm(a);
  return left !== '' && left === norm(b);
}
