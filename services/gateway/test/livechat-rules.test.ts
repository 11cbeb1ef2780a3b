import { describe, expect, it } from '@jest/globals';
import { DEFAULT_PRE_CHAT_FORM, type LivechatPreChatForm } from '@sapa/contracts';
import { isAllowedOrigin } from '../src/livechat/allowed-origin.js';
import { readClientFrame } from '../src/livechat/client-frames.js';
import { excerptOf, quoteView, replyToExternalIdOf } from '../src/livechat/message-view.js';
import { checkPreChat } from '../src/livechat/pre-chat-form.js';

describe('allowed origins', () => {
  const allowed = ['https://shop.example', 'http://localhost:8080'];
  it.each([
    ['the same origin', 'https://shop.example', true],
    ['the same origin in capitals', 'https://SHOP.example', true],
    ['the default port written out', 'https://shop.example:443', true],
    ['another port', 'https://shop.example:8443', false],
    ['http instead of https', 'http://shop.example', false],
    ['a subdomain', 'https://www.shop.example', false],
    ['a suffix trick', 'https://shop.example.evil.test', false],
    ['a local port that is allowed', 'http://localhost:8080', true],
    ['the opaque origin of a sandboxed page', 'null', false],
    ['no Origin header', undefined, false],
    ['a non-http scheme', 'chrome-extension://abc', false],
    ['garbage', 'not an origin', false],
  ])('%s → %s', (_why, origin, expected) => {
    expect(isAllowedOrigin(allowed, origin)).toBe(expected);
  });
});

describe('the pre-chat form', () => {
  const form = DEFAULT_PRE_CHAT_FORM;
  it.each([
    ['a name and a local mobile number', { name: ' Siti ', phone: '0812-3456-7890' }, { name: 'Siti', phone: '+6281234567890', email: null }],
    ['a name and an international number', { name: 'John', phone: '+44 20 7946 0958' }, { name: 'John', phone: '+442079460958', email: null }],
    ['a name and an email (lower-cased)', { name: 'Budi', email: 'Budi@Example.COM' }, { name: 'Budi', phone: null, email: 'budi@example.com' }],
  ])('takes %s', (_why, answers, visitor) => {
    expect(checkPreChat(form, answers)).toEqual({ ok: true, visitor });
  });

  it.each([
    ['no name', { phone: '081234567890' }, [{ field: 'name', code: 'required' }]],
    ['a blank name', { name: '   ', phone: '081234567890' }, [{ field: 'name', code: 'required' }]],
    ['a phone too short to be one', { name: 'Siti', phone: '0812' }, [{ field: 'phone', code: 'invalid_phone' }]],
    ['letters for a phone', { name: 'Siti', phone: 'nomor saya' }, [{ field: 'phone', code: 'invalid_phone' }]],
    ['an email without a domain', { name: 'Siti', email: 'siti@' }, [{ field: 'email', code: 'invalid_email' }]],
    ['neither phone nor email', { name: 'Siti' }, [{ field: 'phone', code: 'phone_or_email_required' }]],
  ])('refuses %s', (_why, answers, errors) => {
    expect(checkPreChat(form, answers)).toEqual({ ok: false, errors });
  });

  it('ignores fields the form does not show, and asks for no contact when the form says so', () => {
    const nameOnly: LivechatPreChatForm = { fields: [{ key: 'name', required: true }], phoneOrEmail: false };
    expect(checkPreChat(nameOnly, { name: 'Siti', phone: 'not a phone' })).toEqual({ ok: true, visitor: { name: 'Siti', phone: null, email: null } });
  });
});

describe('frames read off the socket', () => {
  const read = (value: unknown, binary = false) => readClientFrame(Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)), binary);
  it.each([
    ['text that is not JSON', 'halo', { kind: 'bad', code: 'invalid_json', content: true }],
    ['a binary frame', 'x', { kind: 'bad', code: 'binary_not_accepted', content: false }, true],
    ['JSON without a type', { text: 'hi' }, { kind: 'bad', code: 'unknown_frame_type', content: false }],
    ['an unknown type', { type: 'dance' }, { kind: 'bad', code: 'unknown_frame_type', content: false }],
    ['a control frame out of shape', { type: 'typing' }, { kind: 'bad', code: 'invalid_frame', content: false }],
    ['a message without an id', { type: 'message', text: 'hi' }, { kind: 'bad', code: 'invalid_message', content: true }],
    ['a message with an extra key', { type: 'message', id: 'abcdefgh', text: 'hi', html: '<b>' }, { kind: 'bad', code: 'invalid_message', content: true }],
    ['a message', { type: 'message', id: 'abcdefgh', text: 'hi' }, { kind: 'message' }],
    ['a reply to an agent’s message', { type: 'message', id: 'abcdefgh', text: 'hi', replyTo: { messageId: '0b9f3c1e-6a2d-4f51-9a7e-3c2b1d0e9f8a' } }, { kind: 'message' }],
    ['a reply to the visitor’s own message', { type: 'message', id: 'abcdefgh', text: 'hi', replyTo: { clientId: 'msg-earlier' } }, { kind: 'message' }],
    ['a reply naming no message', { type: 'message', id: 'abcdefgh', text: 'hi', replyTo: {} }, { kind: 'bad', code: 'invalid_message', content: true }],
    ['a resume', { type: 'resume', token: 'lcv_x', since: '2030-01-01T00:00:00.000000Z' }, { kind: 'control' }],
  ])('%s', (_why, value, expected, binary = false) => {
    expect(read(value, binary)).toMatchObject(expected);
  });
});

describe('quotes', () => {
  it('names the quoted message as the router finds it: the visitor’s by external id, Sapa’s by its own id', () => {
    expect(replyToExternalIdOf({ clientId: 'msg-earlier' }, 'visitor-1')).toBe('visitor-1/msg-earlier');
    expect(replyToExternalIdOf({ messageId: '0B9F3C1E-6A2D-4F51-9A7E-3C2B1D0E9F8A' }, 'visitor-1')).toBe('0b9f3c1e-6a2d-4f51-9a7e-3c2b1d0e9f8a');
  });

  it.each([
    ['a short text, on one line', 'Halo,\n  saldo   saya', 'Halo, saldo saya'],
    ['no text (files only)', null, null],
    ['blank text', '  \n ', null],
    ['a long text, cut with an ellipsis', 'kata '.repeat(40), `${'kata '.repeat(20).trim()}…`],
    ['emoji, never cut in half', '😀'.repeat(120), `${'😀'.repeat(99)}…`],
  ])('shows %s', (_why, text, excerpt) => {
    expect(excerptOf(text)).toBe(excerpt);
  });

  it('tells the widget which of its own messages a quote is', () => {
    expect(quoteView({ id: 'm1', externalId: 'visitor-1/msg-earlier', direction: 'in', text: 'Halo' }, 'visitor-1')).toEqual({ id: 'm1', clientId: 'msg-earlier', direction: 'in', excerpt: 'Halo' });
    expect(quoteView({ id: 'm2', externalId: null, direction: 'out', text: 'Baik' }, 'visitor-1')).toEqual({ id: 'm2', direction: 'out', excerpt: 'Baik' });
  });
});
