/** Tenant settings of api-contract.md §Tenant settings (`GET /v1/tenant/settings`). */
export interface HandlingTemplates {
  greeting: string;
  closing: string;
  nudge: string;
}

export interface InactivitySettings {
  firstNudgeSeconds: number;
  secondNudgeSeconds: number;
  closeSeconds: number;
  liveChatLeaveCloseSeconds: number;
}

export const LOCALES = ['id', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

export interface HandlingSettings {
  timeZone: string;
  brand: string;
  locale: Locale;
  templates: HandlingTemplates;
  inactivity: InactivitySettings;
  routing: { firstResponseSeconds: number };
}

/** The tenant's texts, Indonesian by default with an English option (STYLE.md: texts live in templates). */
export const DEFAULT_TEMPLATES: Readonly<Record<Locale, HandlingTemplates>> = {
  id: {
    greeting: 'Selamat {timeOfDay}, terima kasih telah menghubungi {brand}. Saya {agentName}, ada yang bisa saya bantu?',
    closing: 'Terima kasih telah menghubungi {brand}. {closingPhrase}.',
    // The exact question of the SOP (customer-handling.md §Inactivity nudges).
    nudge: 'Apakah saat ini Bapak/Ibu masih terhubung dengan kami?',
  },
  en: {
    greeting: 'Good {timeOfDay}, thank you for contacting {brand}. My name is {agentName}, how may I help you?',
    closing: 'Thank you for contacting {brand}. {closingPhrase}.',
    nudge: 'Are you still connected with us?',
  },
};

/** The defaults of api-contract.md §Tenant settings: Asia/Jakarta, inactivity 60/60/60/60, first response 180 s. */
export const DEFAULT_HANDLING_SETTINGS: Readonly<HandlingSettings> = Object.freeze({
  timeZone: 'Asia/Jakarta',
  brand: 'Sapa',
  locale: 'id',
  templates: DEFAULT_TEMPLATES.id,
  inactivity: { firstNudgeSeconds: 60, secondNudgeSeconds: 60, closeSeconds: 60, liveChatLeaveCloseSeconds: 60 },
  routing: { firstResponseSeconds: 180 },
});

/** A partial update as `PATCH /v1/tenant/settings` accepts it: any subset, nested objects partial too. */
export interface HandlingSettingsPatch {
  timeZone?: string;
  brand?: string;
  locale?: Locale;
  templates?: Partial<HandlingTemplates>;
  inactivity?: Partial<InactivitySettings>;
  routing?: Partial<HandlingSettings['routing']>;
}

/** The whole settings after a (validated) patch: nested groups are merged key by key. */
export function applySettingsPatch(current: HandlingSettings, patch: HandlingSettingsPatch): HandlingSettings {
  return {
    timeZone: patch.timeZone ?? current.timeZone,
    brand: patch.brand ?? current.brand,
    locale: patch.locale ?? current.locale,
    templates: { ...current.templates, ...patch.templates },
    inactivity: { ...current.inactivity, ...patch.inactivity },
    routing: { ...current.routing, ...patch.routing },
  };
}
