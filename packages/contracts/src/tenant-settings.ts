import { Type, type Static } from '@sinclair/typebox';
import { TemplateLanguage, TemplateName } from './whatsapp-template.js';

// api-contract.md §Tenant settings. The rules a value must also meet (a known IANA zone, known template
// placeholders) are checked by `validateSettingsPatch` of @sapa/handling; these schemas give the shapes.

/** Every duration of the settings: whole seconds within 1..86400. */
const Seconds = Type.Integer({ minimum: 1, maximum: 86_400, description: 'whole seconds, 1..86400' });
const TemplateText = Type.String({
  minLength: 1,
  maxLength: 2000,
  description: 'may use {brand}, {agentName}, {closingPhrase}, {timeOfDay}; the waiting texts also {position}, {waitMinutes}',
});
export const TenantLocale = Type.Union([Type.Literal('id'), Type.Literal('en')], { description: 'texts in Indonesian (default) or English' });

const templates = { greeting: TemplateText, closing: TemplateText, nudge: TemplateText, outOfHours: TemplateText, queuePosition: TemplateText };
const inactivity = { firstNudgeSeconds: Seconds, secondNudgeSeconds: Seconds, closeSeconds: Seconds, liveChatLeaveCloseSeconds: Seconds };
const ChainStep = Type.Union([
  Type.Object({ action: Type.Literal('reassign'), afterSeconds: Type.Optional(Seconds) }, { additionalProperties: false }),
  Type.Object({ action: Type.Literal('requeue'), afterSeconds: Type.Optional(Seconds), raisePriority: Type.Integer({ minimum: 0, maximum: 100 }) }, { additionalProperties: false }),
  Type.Object({ action: Type.Literal('alert_leader'), afterSeconds: Type.Optional(Seconds) }, { additionalProperties: false }),
  Type.Object({ action: Type.Literal('escalate'), afterSeconds: Type.Optional(Seconds), team: Type.String({ pattern: '^[a-z][a-z0-9_]*$' }) }, { additionalProperties: false }),
]);
const routing = {
  firstResponseSeconds: Seconds,
  /** What happens, step by step, while an assigned conversation's first reply does not come (each step after its afterSeconds, default firstResponseSeconds). */
  responseChain: Type.Array(ChainStep, { maxItems: 10 }),
  /** A contact's new conversation goes to the agent who last served them within this many hours, if online with room; 0: off. */
  stickyHours: Type.Integer({ minimum: 0, maximum: 720 }),
  /** An agent on a call takes no chat meanwhile. */
  voiceBlocksChat: Type.Boolean(),
  /** An online agent whose inbox socket has been silent this long turns away. */
  awayAfterIdleSeconds: Seconds,
  /** A new conversation that has to wait is told its place and the estimated wait (template queuePosition). */
  announceQueuePosition: Type.Boolean(),
};
const top = {
  timeZone: Type.String({ minLength: 1, description: 'IANA time zone, e.g. Asia/Jakarta' }),
  brand: Type.String({ minLength: 1, maxLength: 200 }),
  locale: TenantLocale,
};
const closed = { additionalProperties: false } as const;
/** The email channel: the signature under every reply (Indonesian default, following the locale). */
const email = {
  signature: Type.String({ minLength: 1, maxLength: 2000, description: 'put under every email reply; may use {agentName}, {brand}' }),
};
/** WhatsApp Cloud API: templates for Sapa's own nudge and closing text when the customer's 24-hour window has closed. */
const whatsapp = {
  nudgeTemplate: Type.Object({ name: TemplateName, language: TemplateLanguage }, closed),
  closingTemplate: Type.Object({ name: TemplateName, language: TemplateLanguage }, closed),
};

/** `GET /v1/tenant/settings`: the whole settings, defaults filled in. */
export const TenantSettings = Type.Object(
  {
    ...top,
    templates: Type.Object(templates, closed),
    inactivity: Type.Object(inactivity, closed),
    routing: Type.Object(routing, closed),
    whatsapp: Type.Object({ nudgeTemplate: Type.Optional(whatsapp.nudgeTemplate), closingTemplate: Type.Optional(whatsapp.closingTemplate) }, closed),
    email: Type.Object(email, closed),
  },
  { $id: 'TenantSettings' },
);
export type TenantSettings = Static<typeof TenantSettings>;

/** `PATCH /v1/tenant/settings`: any subset, nested groups partial too; an unknown key is refused. */
export const TenantSettingsPatch = Type.Object(
  {
    timeZone: Type.Optional(top.timeZone),
    brand: Type.Optional(top.brand),
    locale: Type.Optional(TenantLocale),
    templates: Type.Optional(Type.Partial(Type.Object(templates, closed))),
    inactivity: Type.Optional(Type.Partial(Type.Object(inactivity, closed))),
    routing: Type.Optional(Type.Partial(Type.Object(routing, closed))),
    email: Type.Optional(Type.Partial(Type.Object(email, closed))),
    /** `null` removes a template. */
    whatsapp: Type.Optional(
      Type.Object(
        {
          nudgeTemplate: Type.Optional(Type.Union([whatsapp.nudgeTemplate, Type.Null()])),
          closingTemplate: Type.Optional(Type.Union([whatsapp.closingTemplate, Type.Null()])),
        },
        closed,
      ),
    ),
  },
  closed,
);
export type TenantSettingsPatch = Static<typeof TenantSettingsPatch>;

export const HolidayKind = Type.Union([Type.Literal('national'), Type.Literal('collective_leave')], {
  description: 'a national holiday, or a collective-leave day (cuti bersama)',
});

export const HolidayDto = Type.Object(
  {
    date: Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD, a local calendar day' }),
    name: Type.String({ minLength: 1, maxLength: 200 }),
    kind: HolidayKind,
  },
  { additionalProperties: false },
);
export type HolidayDto = Static<typeof HolidayDto>;

/** `GET /v1/tenant/holidays` and the body of `PUT` (the whole list; one entry per date). */
export const HolidayList = Type.Object({ items: Type.Array(HolidayDto, { maxItems: 5000 }) }, { additionalProperties: false });
export type HolidayList = Static<typeof HolidayList>;

/** `POST /v1/tenant/holidays/import?kind=`: the kind of every imported day, when the calendar does not say. */
export const HolidayImportQuery = Type.Object({ kind: Type.Optional(HolidayKind) }, { additionalProperties: false });
export type HolidayImportQuery = Static<typeof HolidayImportQuery>;

/** What an iCalendar import did: the days added, those left out because the date was taken, and the list after. */
export const HolidayImportResult = Type.Object({
  added: Type.Array(HolidayDto),
  skipped: Type.Array(HolidayDto, { description: 'days whose date was already in the calendar (kept as it was), or repeated in the file' }),
  items: Type.Array(HolidayDto),
});
export type HolidayImportResult = Static<typeof HolidayImportResult>;
