// Customers type on phones: capitals, stray spaces, punctuation glued to words, the odd accented letter. Matching
// compares words, not characters, so "Saldo  BELUM masuk!!" reads as "saldo belum masuk" and "pinjaman" is not "pin".

const MARKS_AND_FORMAT = /[\p{M}\p{Cf}]+/gu;
const NON_WORD = /[^\p{L}\p{N}]+/gu;

/** A text as phrase matching sees it: diacritics and invisible characters dropped, lower case, words joined by one space. */
export function normalisePhrase(text: string): string {
  return text.normalize('NFKD').replace(MARKS_AND_FORMAT, '').toLowerCase().replace(NON_WORD, ' ').trim();
}

/** Whether `phrase` occurs in `normalisedText` (from {@link normalisePhrase}) as whole words; a blank phrase never does. */
export function containsPhrase(normalisedText: string, phrase: string): boolean {
  const wanted = normalisePhrase(phrase);
  return wanted !== '' && ` ${normalisedText} `.includes(` ${wanted} `);
}

/** Whether any of `phrases` occurs in `normalisedText` as whole words. */
export function containsAnyPhrase(normalisedText: string, phrases: readonly string[]): boolean {
  return phrases.some((phrase) => containsPhrase(normalisedText, phrase));
}
