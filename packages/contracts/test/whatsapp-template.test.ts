import { describe, expect, it } from '@jest/globals';
import { FormatRegistry } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { ReplyBody, WhatsappTemplateMessage } from '../src/index.js';

// The inbox API validates with Ajv and its formats; here Typebox's own checker stands in, given the one format used.
if (!FormatRegistry.Has('uri')) FormatRegistry.Set('uri', (v) => URL.canParse(v));

const body = (template: unknown) => ({ template });

describe('a template reply (issue 7: messages outside the WhatsApp 24-hour window)', () => {
  it.each([
    ['a name and a language', { name: 'follow_up', language: 'id' }],
    ['a language with its locale', { name: 'follow_up', language: 'en_US' }],
    ['body variables', { name: 'order_update', language: 'id', components: [{ type: 'body', parameters: [{ type: 'text', text: 'Budi' }, { type: 'text', text: 'INV-1' }] }] }],
    ['a named variable', { name: 'order_update', language: 'id', components: [{ type: 'body', parameters: [{ type: 'text', text: 'INV-1', parameter_name: 'order_id' }] }] }],
    ['an image header', { name: 'promo', language: 'id', components: [{ type: 'header', parameters: [{ type: 'image', image: { link: 'https://cdn.example/p.jpg' } }] }] }],
    ['a document header by media id', { name: 'invoice', language: 'id', components: [{ type: 'header', parameters: [{ type: 'document', document: { id: '1234', filename: 'inv.pdf' } }] }] }],
    ['money and a date', { name: 'bill', language: 'id', components: [{ type: 'body', parameters: [{ type: 'currency', currency: { fallback_value: 'Rp10.000', code: 'IDR', amount_1000: 10_000_000 } }, { type: 'date_time', date_time: { fallback_value: '1 Mei 2026' } }] }] }],
    ['a quick-reply button with a string index, as in Meta\'s examples', { name: 'survey', language: 'id', components: [{ type: 'button', sub_type: 'quick_reply', index: '0', parameters: [{ type: 'payload', payload: 'YES' }] }] }],
    ['a url button with a numeric index', { name: 'track', language: 'id', components: [{ type: 'button', sub_type: 'url', index: 1, parameters: [{ type: 'text', text: 'abc123' }] }] }],
  ])('accepts %s', (_what, template) => {
    expect(Value.Check(WhatsappTemplateMessage, template)).toBe(true);
    expect(Value.Check(ReplyBody, body(template))).toBe(true);
  });

  it.each([
    ['no name', { language: 'id' }],
    ['no language', { name: 'follow_up' }],
    ['a name with capitals or spaces', { name: 'Follow Up', language: 'id' }],
    ['a language that is a word', { name: 'follow_up', language: 'indonesian' }],
    ['Meta\'s wire shape for language', { name: 'follow_up', language: { code: 'id' } }],
    ['an unknown field', { name: 'follow_up', language: 'id', namespace: 'x' }],
    ['components that are not a list', { name: 'follow_up', language: 'id', components: { type: 'body' } }],
    ['an unknown component type', { name: 'follow_up', language: 'id', components: [{ type: 'footer', parameters: [] }] }],
    ['a header with two parameters', { name: 'x', language: 'id', components: [{ type: 'header', parameters: [{ type: 'text', text: 'a' }, { type: 'text', text: 'b' }] }] }],
    ['an empty text parameter', { name: 'x', language: 'id', components: [{ type: 'body', parameters: [{ type: 'text', text: '' }] }] }],
    ['an unknown parameter type', { name: 'x', language: 'id', components: [{ type: 'body', parameters: [{ type: 'sticker', sticker: { id: '1' } }] }] }],
    ['an image by plain http link', { name: 'x', language: 'id', components: [{ type: 'header', parameters: [{ type: 'image', image: { link: 'http://cdn.example/p.jpg' } }] }] }],
    ['a currency code that is not ISO 4217', { name: 'x', language: 'id', components: [{ type: 'body', parameters: [{ type: 'currency', currency: { fallback_value: 'Rp1', code: 'rupiah', amount_1000: 1000 } }] }] }],
    ['a button without sub_type', { name: 'x', language: 'id', components: [{ type: 'button', index: 0, parameters: [] }] }],
    ['a button index of 10', { name: 'x', language: 'id', components: [{ type: 'button', sub_type: 'url', index: 10, parameters: [] }] }],
  ])('refuses %s', (_what, template) => {
    expect(Value.Check(WhatsappTemplateMessage, template)).toBe(false);
    expect(Value.Check(ReplyBody, body(template))).toBe(false);
  });

  it('refuses text and a template together', () => {
    expect(Value.Check(ReplyBody, { text: 'Halo', template: { name: 'follow_up', language: 'id' } })).toBe(false);
    expect(Value.Check(ReplyBody, { attachments: [], template: { name: 'follow_up', language: 'id' } })).toBe(false);
  });

  it('still takes a plain text reply with attachments', () => {
    expect(Value.Check(ReplyBody, { text: 'Halo', attachments: [{ url: 'https://x.example/a.png', contentType: 'image/png' }] })).toBe(true);
  });
});
