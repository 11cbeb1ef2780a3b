import { Type, type Static } from '@sinclair/typebox';

// A WhatsApp template message as Sapa accepts it from an agent (`POST /v1/conversations/{id}/messages` with
// `{template}`), shaped after the Cloud API's `template` object
// (developers.facebook.com/docs/whatsapp/cloud-api/reference/messages#template-object). Only `language` differs: a
// code here (`id`, `en_US`), `{code}` on the wire. The template itself (its text, its variables) lives with Meta;
// what Sapa can check is the shape, so a bad body is a 400 here rather than a failed delivery later.

const closed = { additionalProperties: false } as const;

/** Template names are lowercase letters, digits and underscores (Meta's rule when a template is created). */
export const TemplateName = Type.String({ pattern: '^[a-z0-9_]{1,512}$', description: 'the approved template name, e.g. "follow_up_order"' });
/** A language or language_LOCALE code the template was approved in: `id`, `en`, `en_US`, `pt_BR`. */
export const TemplateLanguage = Type.String({ pattern: '^[a-z]{2,3}(_[A-Z]{2})?$', description: 'language code of the approved template, e.g. "id" or "en_US"' });

const MediaRef = Type.Union([
  Type.Object({ link: Type.String({ format: 'uri', pattern: '^https://', maxLength: 4096 }) }, closed),
  Type.Object({ id: Type.String({ minLength: 1, maxLength: 200 }) }, closed),
]);
const DocumentRef = Type.Union([
  Type.Object({ link: Type.String({ format: 'uri', pattern: '^https://', maxLength: 4096 }), filename: Type.Optional(Type.String({ maxLength: 240 })) }, closed),
  Type.Object({ id: Type.String({ minLength: 1, maxLength: 200 }), filename: Type.Optional(Type.String({ maxLength: 240 })) }, closed),
]);

/** One value filling a variable of the template. */
export const TemplateParameter = Type.Union([
  Type.Object(
    {
      type: Type.Literal('text'),
      text: Type.String({ minLength: 1, maxLength: 32_768 }),
      /** For templates with named variables (`{{order_id}}`). */
      parameter_name: Type.Optional(Type.String({ pattern: '^[a-z0-9_]{1,64}$' })),
    },
    closed,
  ),
  Type.Object(
    {
      type: Type.Literal('currency'),
      currency: Type.Object({ fallback_value: Type.String({ minLength: 1 }), code: Type.String({ pattern: '^[A-Z]{3}$' }), amount_1000: Type.Integer() }, closed),
    },
    closed,
  ),
  Type.Object({ type: Type.Literal('date_time'), date_time: Type.Object({ fallback_value: Type.String({ minLength: 1 }) }, closed) }, closed),
  Type.Object({ type: Type.Literal('image'), image: MediaRef }, closed),
  Type.Object({ type: Type.Literal('video'), video: MediaRef }, closed),
  Type.Object({ type: Type.Literal('document'), document: DocumentRef }, closed),
  Type.Object({ type: Type.Literal('payload'), payload: Type.String({ minLength: 1, maxLength: 1000 }) }, closed),
  Type.Object({ type: Type.Literal('coupon_code'), coupon_code: Type.String({ minLength: 1, maxLength: 15 }) }, closed),
]);
export type TemplateParameter = Static<typeof TemplateParameter>;

const Parameters = Type.Array(TemplateParameter, { maxItems: 100 });

/** The parts of a template that take variables: its header, its body, and each button by index. */
export const TemplateComponent = Type.Union([
  Type.Object({ type: Type.Literal('header'), parameters: Type.Array(TemplateParameter, { minItems: 1, maxItems: 1 }) }, closed),
  Type.Object({ type: Type.Literal('body'), parameters: Parameters }, closed),
  Type.Object(
    {
      type: Type.Literal('button'),
      sub_type: Type.Union(['quick_reply', 'url', 'copy_code', 'flow', 'catalog'].map((s) => Type.Literal(s))),
      /** The button's position, 0..9; Meta's examples write it as a string. */
      index: Type.Union([Type.Integer({ minimum: 0, maximum: 9 }), Type.String({ pattern: '^[0-9]$' })]),
      parameters: Parameters,
    },
    closed,
  ),
]);
export type TemplateComponent = Static<typeof TemplateComponent>;

/** `{template}` of a reply: the only kind of message WhatsApp delivers outside the 24-hour customer-service window. */
export const WhatsappTemplateMessage = Type.Object(
  {
    name: TemplateName,
    language: TemplateLanguage,
    components: Type.Optional(Type.Array(TemplateComponent, { maxItems: 20 })),
  },
  closed,
);
export type WhatsappTemplateMessage = Static<typeof WhatsappTemplateMessage>;

/** A tenant's template for Sapa's own texts (tenant settings `whatsapp.nudgeTemplate`/`closingTemplate`): no variables. */
export const WhatsappTemplateRef = Type.Object({ name: TemplateName, language: TemplateLanguage }, closed);
export type WhatsappTemplateRef = Static<typeof WhatsappTemplateRef>;
