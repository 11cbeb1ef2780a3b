import { describe, expect, it } from '@jest/globals';
import { closeAction, messageIdFor, planSend, reconnectDelayMs, routeDelivery, type Route, type RouteInput } from '../src/index.js';

describe('what a session does when the connection closes', () => {
  it.each([
    [401, 'logged_out'],
    [500, 'logged_out'],
    [403, 'banned'],
    [515, 'restart_now'],
    [408, 'reconnect'],
    [428, 'reconnect'],
    [440, 'reconnect'],
    [503, 'reconnect'],
    [undefined, 'reconnect'],
  ])('code %s → %s', (code, action) => {
    expect(closeAction(code)).toBe(action);
  });

  it('waits 1 s doubling to at most 60 s between reconnects, within ±20 %', () => {
    expect([1, 2, 3, 7, 20].map((n) => reconnectDelayMs(n, () => 0.5))).toEqual([1000, 2000, 4000, 60_000, 60_000]);
    expect(reconnectDelayMs(1, () => 0)).toBe(800);
    expect(reconnectDelayMs(1, () => 1)).toBe(1200);
  });
});

describe('which replica sends a reply', () => {
  const base: RouteInput = { session: undefined, channelStatus: 'active', jobAgeMs: 1000, maxWaitMs: 300_000 };
  it.each<[string, Partial<RouteInput>, Route]>([
    ['the holder with an open connection sends', { session: { isConnected: true } }, 'send'],
    ['the holder while reconnecting puts it back', { session: { isConnected: false } }, 'defer'],
    ['a replica not holding the number puts it back', {}, 'defer'],
    ['a number still pairing: back until linked', { channelStatus: 'pairing' }, 'defer'],
    ['waited past the limit: an attempt is spent', { jobAgeMs: 400_000 }, 'attempt_failed'],
    ['a logged-out number refuses', { channelStatus: 'disconnected' }, 'refuse'],
    ['a banned number refuses', { channelStatus: 'error' }, 'refuse'],
    ['a disabled number refuses', { channelStatus: 'disabled' }, 'refuse'],
  ])('%s', (_, input, route) => {
    expect(routeDelivery({ ...base, ...input })).toBe(route);
  });
});

describe('the WhatsApp messages of a reply', () => {
  const file = (id: string, contentType: string) => ({ url: `sapa-attachment:${id}`, contentType, id });
  it.each([
    ['words alone', { text: 'Halo', attachments: [] }, [{ kind: 'text', text: 'Halo' }]],
    ['a lone picture with words: one captioned message', { text: 'Ini', attachments: [file('a', 'image/png')] }, [{ kind: 'file', attachmentId: 'a', contentType: 'image/png', caption: 'Ini' }]],
    [
      'a voice note with words: audio takes no caption',
      { text: 'Dengar ya', attachments: [file('a', 'audio/ogg')] },
      [{ kind: 'text', text: 'Dengar ya' }, { kind: 'file', attachmentId: 'a', contentType: 'audio/ogg' }],
    ],
    [
      'two files: words first, then each file',
      { text: 'Dua', attachments: [file('a', 'image/png'), file('b', 'application/pdf')] },
      [{ kind: 'text', text: 'Dua' }, { kind: 'file', attachmentId: 'a', contentType: 'image/png' }, { kind: 'file', attachmentId: 'b', contentType: 'application/pdf' }],
    ],
    ['a link Sapa does not hold travels as its URL', { text: null, attachments: [{ url: 'https://cdn.example/a.pdf', contentType: 'application/pdf' }] }, [{ kind: 'text', text: 'https://cdn.example/a.pdf' }]],
    ['nothing', { text: '  ', attachments: [] }, []],
  ])('%s', (_, message, parts) => {
    expect(planSend(message)).toEqual(parts);
  });

  it('names each part with an id fixed by the delivery and its replay, shaped like Baileys ids', () => {
    const id = messageIdFor('d1', 0, 0);
    expect(id).toMatch(/^3EB0[0-9A-F]{18}$/);
    expect(messageIdFor('d1', 0, 0)).toBe(id);
    expect(new Set([id, messageIdFor('d1', 0, 1), messageIdFor('d1', 1, 0), messageIdFor('d2', 0, 0)]).size).toBe(4);
  });
});
