/** Tenant settings of api-contract.md §Tenant settings (`GET /v1/tenant/settings`). */
export interface HandlingTemplates {
  greeting: string;
  closing: string;
  nudge: string;
  /** Sent once to a customer who writes while the team is out of its business hours. */
  outOfHours: string;
  /** Sent once to a customer whose new conversation waits in the queue: `{position}`, `{waitMinutes}`. */
  queuePosition: string;
}

export interface InactivitySettings {
  firstNudgeSeconds: number;
  secondNudgeSeconds: number;
  closeSeconds: number;
  liveChatLeaveCloseSeconds: number;
}

export const LOCALES = ['id', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

/**
 * One step of the first-response chain (issue 6 item 4): what happens when an assigned conversation's agent has not
 * answered `afterSeconds` (default `firstResponseSeconds`) after the assignment or the previous step.
 * `reassign`: take it back and offer it to another free agent of the team; `requeue`: back to the head of the
 * queue with `raisePriority` more; `alert_leader`: `sla.breached` to the team's leaders; `escalate`: transfer to `team`.
 */
export type ResponseChainStep =
  | { action: 'reassign'; afterSeconds?: number }
  | { action: 'requeue'; afterSeconds?: number; raisePriority: number }
  | { action: 'alert_leader'; afterSeconds?: number }
  | { action: 'escalate'; afterSeconds?: number; team: string };

export interface RoutingSettings {
  /** The seed's RT ≤ 3 minutes: an agent's first reply is due this long after the assignment. */
  firstResponseSeconds: number;
  /** Steps taken, in order, while the first reply does not come; each step is recorded in the assignment history. */
  responseChain: ResponseChainStep[];
  /** A contact's new conversation goes to the agent who last served them within this many hours (0: never). */
  stickyHours: number;
  /** An agent on a call takes no chat meanwhile. */
  voiceBlocksChat: boolean;
  /** An online agent whose inbox socket has been silent this long turns `away`. */
  awayAfterIdleSeconds: number;
  /** A new conversation that has to wait is told its place in the queue and the estimated wait (template `queuePosition`). */
  announceQueuePosition: boolean;
}

// --- WhatsApp Cloud API (issue 7): Sapa's own texts outside the 24-hour window (service-window.ts) ---
/** An approved WhatsApp template, by name and language code, with no variables. */
export interface WhatsappTemplateChoice {
  name: string;
  language: string;
}

/**
 * The templates Sapa sends instead of its nudge and closing text when a whatsapp_cloud customer has been silent for
 * over 24 hours (WhatsApp then refuses free text); without one, the text is skipped and the skip recorded.
 */
export interface WhatsappSettings {
  nudgeTemplate?: WhatsappTemplateChoice;
  closingTemplate?: WhatsappTemplateChoice;
}
// --- end WhatsApp ---

export interface HandlingSettings {
  timeZone: string;
  brand: string;
  locale: Locale;
  templates: HandlingTemplates;
  inactivity: InactivitySettings;
  routing: RoutingSettings;
  whatsapp: WhatsappSettings;
  email: EmailSettings;
}

/** The email channel's own settings (issue 8 item 1). */
export interface EmailSettings {
  /** Put under every email reply, after the RFC 3676 `-- ` line; may use `{agentName}` and `{brand}`. */
  signature: string;
}

/** The signature of email replies until the tenant writes its own; like the templates, it follows the locale. */
export const DEFAULT_EMAIL_SIGNATURE: Readonly<Record<Locale, string>> = {
  id: 'Salam hangat,\n{agentName}\nLayanan Pelanggan {brand}',
  en: 'Kind regards,\n{agentName}\n{brand} Customer Service',
};

/** The tenant's texts, Indonesian by default with an English option (STYLE.md: texts live in templates). */
export const DEFAULT_TEMPLATES: Readonly<Record<Locale, HandlingTemplates>> = {
  id: {
    greeting: 'Selamat {timeOfDay}, terima kasih telah menghubungi {brand}. Saya {agentName}, ada yang bisa saya bantu?',
    closing: 'Terima kasih telah menghubungi {brand}. {closingPhrase}.',
    // The exact question of the SOP (customer-handling.md §Inactivity nudges).
    nudge: 'Apakah saat ini Bapak/Ibu masih terhubung dengan kami?',
    outOfHours:
      'Terima kasih telah menghubungi {brand}. Saat ini di luar jam layanan kami; pesan Bapak/Ibu sudah kami terima dan akan kami balas pada jam layanan berikutnya.',
    queuePosition: 'Terima kasih telah menunggu. Bapak/Ibu berada di antrean ke-{position}, perkiraan waktu tunggu sekitar {waitMinutes} menit.',
  },
  en: {
    greeting: 'Good {timeOfDay}, thank you for contacting {brand}. My name is {agentName}, how may I help you?',
    closing: 'Thank you for contacting {brand}. {closingPhrase}.',
    nudge: 'Are you still connected with us?',
    outOfHours: 'Thank you for contacting {brand}. We are outside our service hours; we have received your message and will reply in our next service hours.',
    queuePosition: 'Thank you for waiting. You are number {position} in the queue; the estimated wait is about {waitMinutes} minutes.',
  },
};

/** The defaults of api-contract.md §Tenant settings: Asia/Jakarta, inactivity 60/60/60/60, first response 180 s. */
export const DEFAULT_HANDLING_SETTINGS: Readonly<HandlingSettings> = Object.freeze<HandlingSettings>({
  timeZone: 'Asia/Jakarta',
  brand: 'Sapa',
  locale: 'id',
  templates: DEFAULT_TEMPLATES.id,
  inactivity: { firstNudgeSeconds: 60, secondNudgeSeconds: 60, closeSeconds: 60, liveChatLeaveCloseSeconds: 60 },
  routing: {
    firstResponseSeconds: 180,
    // Chatwoot's users keep asking for this; the default takes the conversation back once, then puts it at the head
    // of the queue a little higher, then tells the team leader.
    responseChain: [{ action: 'reassign' }, { action: 'requeue', raisePriority: 10 }, { action: 'alert_leader' }],
    stickyHours: 24,
    voiceBlocksChat: false,
    awayAfterIdleSeconds: 300,
    announceQueuePosition: true,
  },
  whatsapp: {},
  email: { signature: DEFAULT_EMAIL_SIGNATURE.id },
});

/** A partial update as `PATCH /v1/tenant/settings` accepts it: any subset, nested objects partial too. */
export interface HandlingSettingsPatch {
  timeZone?: string;
  brand?: string;
  locale?: Locale;
  templates?: Partial<HandlingTemplates>;
  inactivity?: Partial<InactivitySettings>;
  routing?: Partial<HandlingSettings['routing']>;
  /** `null` removes a template. */
  whatsapp?: { [K in keyof WhatsappSettings]?: WhatsappTemplateChoice | null };
  email?: Partial<EmailSettings>;
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
    whatsapp: withoutNulls({ ...current.whatsapp, ...patch.whatsapp }),
    email: { ...current.email, ...patch.email },
  };
}

/** The WhatsApp templates left once those a patch set to `null` are removed. */
export function withoutNulls(whatsapp: { [K in keyof WhatsappSettings]?: WhatsappTemplateChoice | null }): WhatsappSettings {
  return Object.fromEntries(Object.entries(whatsapp).filter(([, v]) => v !== null && v !== undefined)) as WhatsappSettings;
}
