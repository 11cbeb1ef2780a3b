import { describe, expect, it } from '@jest/globals';
import { containsAnyPhrase, containsPhrase, normalisePhrase } from '../src/phrase-match.js';

describe('normalisePhrase', () => {
  it.each([
    ['lower-cases', 'SALDO Belum Masuk', 'saldo belum masuk'],
    ['collapses spaces, tabs and line breaks', '  saldo \t belum\n\nmasuk  ', 'saldo belum masuk'],
    ['turns punctuation into word breaks', 'Deposit/VA gagal,belum-masuk!!', 'deposit va gagal belum masuk'],
    ['drops diacritics', 'Pèndâftaran gägal', 'pendaftaran gagal'],
    ['drops invisible characters inside a word', 'pin\u200bjaman', 'pinjaman'],
    ['keeps digits', 'maks. 1x24 jam', 'maks 1x24 jam'],
    ['folds full-width letters', 'ＯＴＰ', 'otp'],
    ['gives nothing for punctuation only', ' ?!… ', ''],
  ])('%s', (_name, input, expected) => {
    expect(normalisePhrase(input)).toBe(expected);
  });
});

describe('containsPhrase', () => {
  const text = normalisePhrase('Kak, saldo saya belum masuk padahal sudah transfer. Pinjaman?');
  it.each([
    ['a word', 'transfer', true],
    ['a phrase', 'saldo saya belum masuk', true],
    ['a phrase written differently', 'SALDO  saya, belum masuk', true],
    ['the first word', 'kak', true],
    ['the last word', 'pinjaman', true],
    ['not the start of a longer word', 'pin', false],
    ['not the end of a longer word', 'jaman', false],
    ['not words that are apart in the text', 'saldo belum', false],
    ['not a blank phrase', '  ', false],
    ['not a phrase of punctuation only', '!!', false],
  ])('finds %s: %s', (_name, phrase, expected) => {
    expect(containsPhrase(text, phrase)).toBe(expected);
  });

  it('finds nothing in an empty text', () => {
    expect(containsPhrase('', 'pin')).toBe(false);
  });
});

describe('containsAnyPhrase', () => {
  it.each([
    [['bon', 'otp'], true],
    [['bonus', 'otp'], false],
    [[], false],
  ])('in "minta bon dong" with %j: %s', (phrases, expected) => {
    expect(containsAnyPhrase(normalisePhrase('minta bon dong'), phrases)).toBe(expected);
  });
});
