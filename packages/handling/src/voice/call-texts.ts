import type { Locale } from '../settings.js';

/**
 * What Sapa writes into a call's conversation for the agent (system messages, never sent to the customer: a voice
 * channel has no text to send on). Indonesian first, English as the tenant's option (settings `locale`).
 */
export interface CallTexts {
  /** The conversation of a call begins: `{caller}`. */
  incoming: string;
  /** The call is over: `{duration}` as m:ss. */
  ended: string;
  /** The callback task of a missed call (customer-handling.md: every missed call is rung back): `{caller}`. */
  callback: string;
  /** An agent's outbound call begins in the conversation: `{caller}` is the number dialled. */
  outgoing: string;
  /** An outbound call nobody picked up, with no callback task waiting: `{caller}`. */
  outgoingUnanswered: string;
  /** A call reached the customer, so the callback task is done. */
  callbackDone: string;
  /** An outbound call to the customer of a callback task went unanswered: `{caller}`, `{attempt}` (1, 2, …). */
  callbackAttempt: string;
  /** A click-to-call the PBX refused or could not be asked: `{caller}`. */
  callFailed: string;
}

export const CALL_TEXTS: Readonly<Record<Locale, CallTexts>> = {
  id: {
    incoming: 'Panggilan masuk dari {caller}',
    ended: 'Panggilan selesai, durasi {duration}',
    callback: 'Panggilan tak terjawab dari {caller} — mohon telepon balik',
    outgoing: 'Panggilan keluar ke {caller}',
    outgoingUnanswered: 'Panggilan keluar ke {caller} tidak diangkat',
    callbackDone: 'Telepon balik tersambung — tugas telepon balik selesai',
    callbackAttempt: 'Telepon balik ke {caller} tidak diangkat (percobaan ke-{attempt}) — tugas tetap terbuka',
    callFailed: 'Panggilan ke {caller} tidak dapat dimulai: PBX menolak atau tidak terjangkau — telepon dari softphone',
  },
  en: {
    incoming: 'Incoming call from {caller}',
    ended: 'Call ended, duration {duration}',
    callback: 'Missed call from {caller} — please call back',
    outgoing: 'Outgoing call to {caller}',
    outgoingUnanswered: 'Outgoing call to {caller} not answered',
    callbackDone: 'Callback connected — callback task done',
    callbackAttempt: 'Callback to {caller} not answered (attempt {attempt}) — the task stays open',
    callFailed: 'Call to {caller} could not be started: the PBX refused or could not be reached — dial from the softphone',
  },
};

/** The text of `kind` in the tenant's language. */
export function callText(locale: Locale, kind: keyof CallTexts, vars: { caller?: string; durationSeconds?: number | null; attempt?: number }): string {
  // Fixed texts with placeholders of their own (not tenant templates: renderTemplate knows none of these names).
  const values: Record<string, string> = {
    caller: vars.caller ?? '',
    duration: formatDuration(vars.durationSeconds ?? null),
    attempt: String(vars.attempt ?? ''),
  };
  return CALL_TEXTS[locale][kind].replace(/\{(caller|duration|attempt)\}/g, (_whole, name: string) => values[name]!);
}

/** 125 → `2:05`; 3725 → `1:02:05`; unknown → `-`. */
export function formatDuration(seconds: number | null): string {
  if (seconds === null) return '-';
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  const ss = String(s).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}
