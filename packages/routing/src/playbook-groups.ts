import { containsAnyPhrase, normalisePhrase } from './phrase-match.js';

/**
 * The SOP tables (complaint-playbooks.md §The playbooks), in the order the SOP lists them: Tiket Deposit, Bon / TOP,
 * Transaksi, Gagal Registrasi, Gagal Login, OTP, Masalah Akun dan Aplikasi, Penipuan dan Scam. Same list as
 * `PLAYBOOK_GROUPS` of `@sapa/handling` (a test keeps them equal); routing reads texts, handling runs the playbooks.
 */
export const PLAYBOOK_GROUPS = ['deposit', 'bon', 'transaction', 'registration', 'login', 'otp', 'account', 'fraud'] as const;
export type PlaybookGroup = (typeof PLAYBOOK_GROUPS)[number];

// How agents write "not yet", "already" and "cannot" in chat; complaints that hinge on them are listed in each spelling.
const NOT_YET = ['belum', 'blm', 'tidak', 'tdk', 'gak', 'ga', 'gk', 'nggak', 'ngga', 'enggak'];
const ALREADY = ['sudah', 'sdh', 'udah', 'dah'];
const CANNOT = ['tidak bisa', 'tdk bisa', 'gak bisa', 'ga bisa', 'gk bisa', 'nggak bisa', 'gabisa', 'gbs'];

/** Every `head tail` phrase, e.g. `saldo` × `belum masuk`. */
function cross(heads: readonly string[], tails: readonly string[]): string[] {
  return heads.flatMap((head) => tails.map((tail) => `${head} ${tail}`));
}

const NOT_YET_IN = NOT_YET.map((n) => `${n} masuk`);

/**
 * Words and phrases that make a customer's message read as a playbook group (whole words, case and diacritics
 * ignored; see {@link groupsOf}). Taken from the SOP's own wording (`seeds/000_…txt`) and from how agents of a
 * pulsa/PPOB network write in chat: abbreviations (`blm`, `trx`, `tf`), `-nya` forms, some English. A bare word
 * covers every phrase around it ("pin" covers "lupa pin"), so phrases are listed only where the bare word would
 * also catch ordinary talk ("daftar harga", bare "saldo", "pending" of a registration).
 */
export const GROUP_KEYWORDS: Readonly<Record<PlaybookGroup, readonly string[]>> = {
  // Tiket Deposit: bank transfer not credited, retail / VA payment failed, transfer without a ticket.
  deposit: [
    'deposit', 'depositnya', 'depo', 'transfer', 'transferan', 'trf', 'tf', 'isi saldo', 'tambah saldo', 'top up saldo',
    'topup saldo', 'virtual account', 'alfamart', 'indomaret',
    ...cross(['saldo', 'saldonya'], [...NOT_YET_IN, 'belum bertambah', 'tidak bertambah']),
    'balance not credited', 'top up balance',
  ],
  // Permintaan Bon / TOP: balance on credit, paid back later.
  bon: [
    'bon', 'ngebon', 'kasbon', 'pinjam saldo', 'pinjem saldo', 'minjam saldo', 'minjem saldo', 'pinjaman saldo',
    'hutang saldo', 'utang saldo', 'saldo talangan', 'term of payment', 'credit request',
  ],
  // Transaksi: pending, failed, success but the product (pulsa, paket data, token) not received, wrong number.
  transaction: [
    'transaksi', 'transaksinya', 'trx', 'transaction', 'refund', 'sn', 'serial number', 'salah nomor', 'salah isi nomor',
    'nomor tujuan',
    ...cross(['pulsa', 'token', 'paket data', 'kuota'], ['pending', 'gagal']),
    ...cross(['pulsa', 'pulsanya', 'paket data', 'kuota', 'kuotanya', 'token', 'tokennya', 'voucher', 'produk'], NOT_YET_IN),
  ],
  // Gagal Registrasi: number already registered, error or pending.
  registration: [
    'registrasi', 'registrasinya', 'register', 'registration', 'pendaftaran', 'pendaftarannya', 'mendaftar',
    'gagal daftar', 'mau daftar', 'cara daftar', 'daftar ulang', 'daftar agen', 'daftar akun', 'daftar jadi agen',
    ...cross(CANNOT, ['daftar']),
    ...cross(ALREADY, ['terdaftar']),
    'sign up', 'signup',
  ],
  // Gagal Login: forgotten agent ID, forgotten password.
  login: [
    'login', 'log in', 'password', 'passwordnya', 'kata sandi', 'lupa sandi', 'lupa id', 'lupa user id', 'lupa username',
    ...cross(CANNOT, ['masuk aplikasi', 'masuk akun']),
    'cannot log in', 'can t login',
  ],
  // OTP: not received, over the limit.
  otp: ['otp', 'otpnya', 'kode verifikasi', 'verification code', 'one time password'],
  // Masalah Akun dan Aplikasi: PIN, blocked account, balance limit, number / name change, withdrawal, downlines, app errors.
  account: [
    'pin', 'pinnya', 'blokir', 'diblokir', 'terblokir', 'keblokir', 'akun tidak aktif', 'akun nonaktif',
    'limit saldo', 'saldo dilimit',
    'ganti nomor', 'ganti no hp', 'pergantian nomor', 'ganti nama', 'pergantian nama', 'ubah nama',
    'tarik saldo', 'penarikan saldo', 'pencairan saldo', 'cairkan saldo', 'refund saldo',
    'saldo downline', 'salah transfer saldo', 'salah transfer ke downline', 'pindah downline', 'pemindahan downline',
    'pindah upline', 'ganti upline',
    'aplikasi error', 'aplikasi eror', 'apk error', 'force close', 'bug', 'aplikasi tidak bisa dibuka',
    'account blocked', 'blocked', 'withdraw', 'withdrawal', 'app error', 'crash',
  ],
  // Penipuan dan Scam: account taken over (OTP given away, balance gone, PIN changed), triangle scam.
  fraud: [
    'penipuan', 'penipu', 'ditipu', 'tertipu', 'kena tipu', 'menipu', 'scam', 'scammer', 'discam',
    'dibajak', 'dibobol', 'diretas', 'hack', 'hacker', 'hacking', 'hacked', 'dihack', 'phishing',
    'saldo hilang', 'saldonya hilang', 'saldo raib', 'saldo dicuri', 'pin berubah', 'pin diganti orang',
    'ngaku cs', 'mengaku cs', 'ngaku admin', 'mengaku admin', 'transaksi segitiga',
    'fraud', 'hijacked', 'stolen',
  ],
};

/** The playbook groups `text` reads as, in {@link PLAYBOOK_GROUPS} order: those with a keyword in it as whole words. */
export function groupsOf(text: string): PlaybookGroup[] {
  const normalised = normalisePhrase(text);
  return PLAYBOOK_GROUPS.filter((group) => containsAnyPhrase(normalised, GROUP_KEYWORDS[group]));
}
