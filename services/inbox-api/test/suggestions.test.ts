import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { bearer, createHarness, type Harness } from './harness.js';
import { createWorld, type UserName, type World } from './world.js';

const NUDGE_ID = 'Apakah saat ini Bapak/Ibu masih terhubung dengan kami?';
const greetingId = (word: string, agent: string, brand = 'Sapa') => `Selamat ${word}, terima kasih telah menghubungi ${brand}. Saya ${agent}, ada yang bisa saya bantu?`;
const closingId = (phrase: string, brand = 'Sapa') => `Terima kasih telah menghubungi ${brand}. ${phrase}.`;

describe('handling suggestions', () => {
  let h: Harness;
  let w: World;
  let clock = new Date();
  const suggestions = async (user: UserName, id: string) => {
    const res = await h.app.inject({ method: 'GET', url: `/v1/conversations/${id}/suggestions`, headers: bearer(w.token(user)) });
    expect(res.statusCode).toBe(200);
    return res.json();
  };
  const admin = (method: 'PATCH' | 'PUT', url: string, payload: Record<string, unknown>) =>
    h.app.inject({ method, url, headers: bearer(w.token('admin')), payload });

  beforeAll(async () => {
    h = await createHarness({ now: () => clock });
  });
  beforeEach(async () => {
    w = await createWorld(h.deps.db);
  });
  afterAll(() => h.close());

  // [when (UTC instant), what it is in Jakarta, time-of-day word, closing phrase]
  const jakarta: Array<[string, string, string, string]> = [
    ['2026-06-13T03:00:00Z', 'a Saturday 10:00', 'pagi', 'Selamat berakhir pekan'],
    ['2026-06-14T12:00:00Z', 'a Sunday 19:00', 'malam', 'Selamat berakhir pekan'],
    ['2026-06-10T07:00:00Z', 'a Wednesday 14:00', 'siang', 'Selamat beraktifitas'],
    ['2026-06-10T11:00:00Z', 'a Wednesday 18:00 (still active)', 'malam', 'Selamat beraktifitas'],
    ['2026-06-10T11:01:00Z', 'a Wednesday 18:01', 'malam', 'Selamat beristirahat'],
    ['2026-06-09T22:59:00Z', 'a Wednesday 05:59', 'pagi', 'Selamat beristirahat'],
    ['2026-06-09T23:00:00Z', 'a Wednesday 06:00', 'pagi', 'Selamat beraktifitas'],
    ['2026-06-10T08:30:00Z', 'a Wednesday 15:30', 'sore', 'Selamat beraktifitas'],
  ];

  it.each(jakarta)('fills the texts at %s (%s in Jakarta): "Selamat %s", "%s"', async (at, _local, word, phrase) => {
    clock = new Date(at);
    expect(await suggestions('agent1', await w.agent1Conversation())).toEqual({
      greeting: greetingId(word, 'agent1'),
      closing: closingId(phrase),
      nudge: NUDGE_ID,
    });
  });

  it("names the assignee even when the team leader asks, and the caller when nobody holds the conversation", async () => {
    clock = new Date('2026-06-10T07:00:00Z');
    expect((await suggestions('lead', await w.agent1Conversation())).greeting).toBe(greetingId('siang', 'agent1'));
    expect((await suggestions('lead', await w.queuedConversation())).greeting).toBe(greetingId('siang', 'lead'));
  });

  it("reads the tenant's holiday calendar: Good Friday is a long weekend only when the calendar has it", async () => {
    clock = new Date('2026-04-03T03:00:00Z'); // Friday 10:00 in Jakarta
    const id = await w.agent1Conversation();
    expect((await suggestions('agent1', id)).closing).toBe(closingId('Selamat beraktifitas'));
    await admin('PUT', '/v1/tenant/holidays', { items: [{ date: '2026-04-03', name: 'Wafat Yesus Kristus', kind: 'national' }] });
    expect((await suggestions('agent1', id)).closing).toBe(closingId('Selamat berakhir pekan'));
  });

  it('keeps a lone mid-week holiday on the working-day rule', async () => {
    await admin('PUT', '/v1/tenant/holidays', { items: [{ date: '2026-06-10', name: 'Libur tengah pekan', kind: 'national' }] });
    clock = new Date('2026-06-10T12:00:00Z'); // Wednesday 19:00
    expect((await suggestions('agent1', await w.agent1Conversation())).closing).toBe(closingId('Selamat beristirahat'));
  });

  it("computes the words in the tenant's own time zone", async () => {
    clock = new Date('2026-06-10T10:30:00Z'); // 17:30 in Jakarta, 18:30 in Makassar
    const id = await w.agent1Conversation();
    expect(await suggestions('agent1', id)).toMatchObject({ greeting: greetingId('sore', 'agent1'), closing: closingId('Selamat beraktifitas') });
    await admin('PATCH', '/v1/tenant/settings', { timeZone: 'Asia/Makassar', brand: 'Toko Sapa' });
    expect(await suggestions('agent1', id)).toMatchObject({
      greeting: greetingId('malam', 'agent1', 'Toko Sapa'),
      closing: closingId('Selamat beristirahat', 'Toko Sapa'),
    });
  });

  it('speaks English when the tenant chose en', async () => {
    clock = new Date('2026-06-13T03:00:00Z'); // Saturday 10:00
    await admin('PATCH', '/v1/tenant/settings', { locale: 'en', brand: 'Sapa Store' });
    expect(await suggestions('agent1', await w.agent1Conversation())).toEqual({
      greeting: 'Good morning, thank you for contacting Sapa Store. My name is agent1, how may I help you?',
      closing: 'Thank you for contacting Sapa Store. Have a nice weekend.',
      nudge: 'Are you still connected with us?',
    });
  });

  it("fills the tenant's own templates, any placeholder in any of them", async () => {
    clock = new Date('2026-06-10T07:00:00Z');
    await admin('PATCH', '/v1/tenant/settings', {
      templates: { closing: '{closingPhrase}, salam dari {agentName} ({brand}).', nudge: '{agentName} masih di sini. Apakah Bapak/Ibu masih terhubung?' },
    });
    expect(await suggestions('agent1', await w.agent1Conversation())).toMatchObject({
      closing: 'Selamat beraktifitas, salam dari agent1 (Sapa).',
      nudge: 'agent1 masih di sini. Apakah Bapak/Ibu masih terhubung?',
    });
  });
});
