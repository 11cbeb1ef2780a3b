import { describe, expect, it } from '@jest/globals';
import { PLAYBOOK_GROUPS as HANDLING_GROUPS } from '@sapa/handling';
import { GROUP_KEYWORDS, groupsOf, PLAYBOOK_GROUPS, type PlaybookGroup } from '../src/playbook-groups.js';
import { normalisePhrase } from '../src/phrase-match.js';

describe('PLAYBOOK_GROUPS', () => {
  it('is the list the handling package runs playbooks for, in the same order', () => {
    expect(PLAYBOOK_GROUPS).toEqual(HANDLING_GROUPS);
  });
});

describe('GROUP_KEYWORDS', () => {
  it('has keywords for every group and no other', () => {
    expect(Object.keys(GROUP_KEYWORDS).sort()).toEqual([...PLAYBOOK_GROUPS].sort());
    for (const group of PLAYBOOK_GROUPS) expect(GROUP_KEYWORDS[group].length).toBeGreaterThan(0);
  });

  it('lists every keyword already normalised, once per group', () => {
    for (const group of PLAYBOOK_GROUPS) {
      const words = GROUP_KEYWORDS[group];
      expect(words.map(normalisePhrase)).toEqual(words);
      expect(new Set(words).size).toBe(words.length);
    }
  });

  it('gives each keyword the group it is listed under', () => {
    for (const group of PLAYBOOK_GROUPS) for (const word of GROUP_KEYWORDS[group]) expect(groupsOf(word)).toContain(group);
  });
});

type Case = [string, PlaybookGroup[]];

/** The situations of the SOP's tables, as the seed words them (`seeds/000_…txt`). */
const SOP_SITUATIONS: Case[] = [
  ['Deposit Belum Masuk (via Bank Transfer)', ['deposit']],
  ['Deposit Via Retail/VA Gagal/Belum Masuk', ['deposit']],
  ['Agen Transfer Tanpa Tiket (Nominal Bulat)', ['deposit']],
  ['Permintaan Saldo Bon / TOP', ['bon']],
  ['Transaksi Pending Berkepanjangan', ['transaction']],
  ['Transaksi Sukses, Produk Belum Masuk', ['transaction']],
  ['Salah Nomor Tujuan (Sukses)', ['transaction']],
  ['Gagal Registrasi (Nomor HP Sudah Terdaftar)', ['registration']],
  ['Gagal Registrasi (Error atau Pending)', ['registration']],
  ['Gagal Login (Lupa ID Agen)', ['login']],
  ['Lupa Password Aplikasi', ['login']],
  ['OTP Tidak Masuk', ['otp']],
  ['OTP Sudah Melebihi Limit', ['otp']],
  ['Lupa PIN / Ganti PIN', ['account']],
  ['Akun Terblokir / tidak aktif (di Otomax atau di Web Report)', ['account']],
  ['Akun Mempunyai Limit Saldo', ['account']],
  ['Pergantian Nomor HP', ['account']],
  ['Pergantian Nama Agen', ['account']],
  ['Penarikan Saldo Agen / Refund', ['transaction', 'account']],
  ['Penarikan Saldo Downline', ['account']],
  ['Salah Transfer Saldo Ke Downline', ['deposit', 'account']],
  ['Pemindahan Downline', ['account']],
  ['Aplikasi Error (Force Close/Bug)', ['account']],
  ['Phishing/Hacking Akun (Saldo Hilang/PIN Berubah) dengan memberikan OTP ke Scammer', ['otp', 'account', 'fraud']],
  ['Scam Transaksi Segitiga (Agen ditipu Scammer)', ['transaction', 'fraud']],
];

/** How agents write to the contact center in chat: abbreviations, capitals, punctuation, no punctuation. */
const CUSTOMER_MESSAGES: Case[] = [
  ['min saldo saya belum masuk padahal udah tf 500rb ke BCA', ['deposit']],
  ['SALDONYA BLM MASUK KAK!!!', ['deposit']],
  ['kak sy sdh transfer sesuai tiket, tolong dicek', ['deposit']],
  ['Transferan saya ke mandiri jam 10 blm ada', ['deposit']],
  ['bayar lewat indomaret tapi saldo gak masuk', ['deposit']],
  ['kak boleh pinjam saldo dulu? besok sy bayar', ['bon']],
  ['Mau ngebon 1jt bisa?', ['bon']],
  ['bon saya yg kemarin sudah lunas, minta bon lagi', ['bon']],
  ['pulsa belum masuk ke nomor 0812xxxx', ['transaction']],
  ['trx pending dari tadi, tolong cek', ['transaction']],
  ['Token PLN blm masuk, SN nya mana?', ['transaction']],
  ['status sukses tapi pulsanya tidak masuk', ['transaction']],
  ['saya salah nomor tujuan kak, bisa dibatalkan?', ['transaction']],
  ['gagal daftar terus, katanya nomor sudah terdaftar', ['registration']],
  ['Kenapa gak bisa daftar ya?', ['registration']],
  ['cara daftar jadi agen gimana kak', ['registration']],
  ['lupa password, gimana resetnya?', ['login']],
  ['tidak bisa masuk aplikasi, lupa id', ['login']],
  ['kode OTP tidak masuk2 dari tadi', ['otp']],
  ['OTPnya ga dateng kak', ['otp']],
  ['lupa pin transaksi', ['transaction', 'account']],
  ['Akun saya diblokir kenapa ya?', ['account']],
  ['mau tarik saldo ke rekening BRI', ['account']],
  ['aplikasinya force close terus', ['account']],
  ['Tolong! saya ditipu orang, saldo hilang semua', ['fraud']],
  ['akun saya dibajak, pin berubah sendiri', ['account', 'fraud']],
  ['akun sy di hack kak', ['fraud']],
  ['ada yg ngaku CS minta kode otp, sekarang saldo raib', ['otp', 'fraud']],
  ['Ini penipuan!', ['fraud']],
  ['My account was hacked', ['fraud']],
  ['forgot password', ['login']],
];

/** Words that contain a keyword, or everyday talk near one, and mean nothing the SOP handles. */
const NO_GROUP: string[] = [
  'mau tanya pinjaman modal usaha', // "pinjaman" is not "pin"
  'dapat bonus berapa kalau jualan banyak?', // "bonus" is not "bon"
  'minta daftar harga pulsa terbaru', // "daftar harga" is a price list, not a registration
  'spin hadiahnya kapan?', // "spin" is not "pin"
  'depositori', // not "deposit" nor "depo"
  'shacks', // not "hack"
  'saldo saya berapa ya', // bare "saldo" is no complaint
  'selamat pagi kak',
  'Terima kasih, sudah beres 🙏',
  '',
  '   ',
];

describe('groupsOf', () => {
  it.each(SOP_SITUATIONS)('reads the SOP situation "%s" as %j', (text, groups) => {
    expect(groupsOf(text)).toEqual(groups);
  });

  it.each(CUSTOMER_MESSAGES)('reads "%s" as %j', (text, groups) => {
    expect(groupsOf(text)).toEqual(groups);
  });

  it.each(NO_GROUP)('reads "%s" as no group', (text) => {
    expect(groupsOf(text)).toEqual([]);
  });

  it.each([
    ['saldo belum masuk', 'deposit'],
    ['deposit', 'deposit'],
    ['transfer', 'deposit'],
    ['bon', 'bon'],
    ['pinjam saldo', 'bon'],
    ['pulsa belum masuk', 'transaction'],
    ['transaksi pending', 'transaction'],
    ['gagal daftar', 'registration'],
    ['lupa password', 'login'],
    ['lupa pin', 'account'],
    ['kode otp', 'otp'],
    ['akun diblokir', 'account'],
    ['penipuan', 'fraud'],
    ['ditipu', 'fraud'],
    ['akun dibajak', 'fraud'],
    ['hack', 'fraud'],
  ] as const)('reads the brief\'s phrase "%s" as %s', (text, group) => {
    expect(groupsOf(text)).toContain(group);
  });

  it.each([
    ['upper case', 'AKUN SAYA DIBAJAK'],
    ['mixed case', 'Akun SaYa DiBaJaK'],
    ['extra spaces', '  akun   saya \n dibajak  '],
    ['punctuation around', '"akun saya dibajak!!!"'],
    ['diacritics', 'akun saya dìbåjak'],
  ])('ignores %s', (_name, text) => {
    expect(groupsOf(text)).toEqual(['fraud']);
  });

  it('lists groups in the SOP order, each once, whatever order the text names them in', () => {
    expect(groupsOf('penipuan! otp, pin, login, daftar ulang, transaksi, bon, deposit; deposit lagi, otp lagi')).toEqual([...PLAYBOOK_GROUPS]);
  });
});
