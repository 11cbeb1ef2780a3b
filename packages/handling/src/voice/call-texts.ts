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
}

export const CALL_TEXTS: Readonly<Record<Locale, CallTexts>> = {
  id: {
    incoming: 'Panggilan masuk dari {caller}',
    ended: 'Panggilan selesai, durasi {duration}',
    callback: 'Panggilan tak terjawab dari {caller} — mohon telepon balik',
  },
  en: {
    incoming: 'Incoming call from {caller}',
    ended: 'Call ended, duration {duration}',
    callback: 'Missed call from {caller} — please call back',
  },
};

/** The text of `kind` in the tenant's language. */
export function callText(locale: Locale, kind: keyof CallTexts, vars: { caller?: string; durationSeconds?: number | null }): string {
  // Fixed texts with two placeholders of their own (not tenant templates: renderTemplate knows neither name).
  const values: Record<string, string> = { caller: vars.caller ?? '', duration: formatDuration(vars.durationSeconds ?? null) };
  return CALL_TEXTS[locale][kind].replace(/\{(caller|duration)\}/g, (_whole, name: string) => values[name]!);
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
