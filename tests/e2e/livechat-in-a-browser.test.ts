import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser } from 'playwright-core';
import { createTenant, type TestTenant } from '@sapa/test-support';
import { launchChromium } from '../support/chromium.js';
import { startStack, waitFor } from '../support/stack.js';

const NUDGE = 'Apakah saat ini Bapak/Ibu masih terhubung dengan kami?';
// The smallest PNG there is (1×1, transparent): a real picture, so the gateway's sniffing takes it as image/png.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

/** A shop's page that embeds the widget from the stack's gateway, served on its own origin. */
async function startShopPage(gatewayUrl: () => string, channelId: () => string): Promise<{ server: Server; port: number }> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(
      `<!doctype html><html lang="id"><head><title>Toko Online</title></head><body><h1>Toko Online</h1>` +
        `<script src="${gatewayUrl()}/livechat/widget.js" data-channel="${channelId()}" async></script></body></html>`,
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port };
}

/**
 * issue 8 item 2, in a real browser: a visitor on a shop's page opens the widget, fills in the pre-chat form, types
 * and sends a message and a picture; the agent sees the visitor typing, types back and answers through the inbox
 * API quoting the visitor's message; the visitor sees it with the quote and answers it in turn (quoted replies both
 * ways), reloads the page and finds the chat again (resume by token); then closes the tab, and the
 * leave rule asks "masih terhubung?" at once and closes after liveChatLeaveCloseSeconds (2 s here).
 */
describe('live chat in a browser', () => {
  let stack: Awaited<ReturnType<typeof startStack>>;
  let tenant: TestTenant;
  let browser: Browser;
  let shop: { server: Server; port: number };
  let channelId = '';

  beforeAll(async () => {
    browser = await launchChromium();
    stack = await startStack({ tickets: true });
    tenant = await createTenant(stack.db);
    shop = await startShopPage(() => stack.gatewayUrl, () => channelId);
  }, 15 * 60_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => shop?.server.close(resolve));
    await stack?.close();
  });

  it('chats, answers, resumes after a reload, and closes after the visitor leaves', async () => {
    const admin = tenant.users.admin!.token;
    const agent = tenant.users.agent1!.token;
    const settings = await stack.api('PATCH', '/v1/tenant/settings', admin, { brand: 'Toko Online', inactivity: { liveChatLeaveCloseSeconds: 2 } });
    expect(settings.status).toBe(200);
    // The team is closed every day: the widget shows its out-of-hours banner (an online agent still answers).
    await stack.db.updateTable('teams').set({ business_hours: JSON.stringify({}) }).where('id', '=', tenant.teamId).execute();
    const shopOrigin = `http://127.0.0.1:${shop.port}`;
    const created = await stack.api('POST', '/v1/channels', admin, { type: 'livechat', name: 'Website', config: { allowedOrigins: [shopOrigin] } });
    expect(created.status).toBe(201);
    channelId = created.body.id;
    expect((await stack.api('PUT', '/v1/agents/me/presence', agent, { status: 'online' })).status).toBe(200);
    const live = await stack.stream(agent);

    // The visitor opens the chat and fills in the form (a local number: the gateway stores it as +62…).
    const context = await browser.newContext({ locale: 'id-ID' });
    let page = await context.newPage();
    await page.goto(`${shopOrigin}/`);
    await page.locator('[data-sapa="launcher"]').click();
    await page.locator('[data-sapa="hours-banner"]').waitFor({ state: 'visible' });
    await expect(page.locator('[data-sapa="hours-banner"]').textContent()).resolves.toContain('di luar jam operasional');
    await page.locator('[data-sapa="field-name"]').fill('Siti Aminah');
    await page.locator('[data-sapa="field-phone"]').fill('0812 3456 7890');
    await page.locator('[data-sapa="start"]').click();
    const input = page.locator('[data-sapa="input"]');
    await input.waitFor({ state: 'visible' });
    await input.pressSequentially('Halo, saldo saya belum masuk');
    await input.press('Enter');

    const conversation = await waitFor(async () => {
      const row = await stack.db.selectFrom('conversations').select(['id', 'status', 'contact_id']).where('channel_id', '=', channelId).executeTakeFirst();
      return row?.status === 'assigned' ? row : undefined;
    }, 20_000);
    const contact = await stack.db.selectFrom('contacts').select(['name', 'phone']).where('id', '=', conversation.contact_id).executeTakeFirstOrThrow();
    expect(contact).toEqual({ name: 'Siti Aminah', phone: '+6281234567890' });
    // The visitor types on (typing before the first message has no conversation to show it in); the agent sees it.
    await input.pressSequentially('Ini buktinya');
    await waitFor(() => live.frames.find((f) => f.type === 'conversation.typing' && (f.data.actor as { type: string }).type === 'contact'), 10_000);

    // A picture, uploaded through the widget (a cross-origin POST with its preflight) and sent as a message.
    await page.locator('[data-sapa="file"]').setInputFiles({ name: 'bukti.png', mimeType: 'image/png', buffer: PNG });
    await waitFor(async () => {
      const m = await stack.db.selectFrom('messages').select('attachments').where('conversation_id', '=', conversation.id).where('direction', '=', 'in').execute();
      return m.some((row) => row.attachments.some((a) => a.contentType === 'image/png' && a.filename === 'bukti.png')) ? true : undefined;
    }, 20_000);

    // The agent types, then answers through the inbox API; the visitor sees both.
    expect((await stack.api('POST', `/v1/conversations/${conversation.id}/typing`, agent, { typing: true })).status).toBe(202);
    await page.waitForFunction(() => {
      const host = document.querySelector('[data-sapa-livechat]');
      return host?.shadowRoot?.querySelector('[data-sapa="typing"]')?.textContent?.includes('mengetik') ?? false;
    }, undefined, { timeout: 10_000 });
    // The answer quotes the visitor's first message; the widget shows the quote above it.
    const listed = await stack.api('GET', `/v1/conversations/${conversation.id}/messages`, agent);
    const question = (listed.body.items as Array<{ id: string; text: string | null }>).find((m) => m.text === 'Halo, saldo saya belum masuk')!;
    const reply = await stack.api('POST', `/v1/conversations/${conversation.id}/messages`, agent, { text: 'Baik Bu Siti, kami cek dulu ya.', replyToMessageId: question.id });
    expect(reply.status).toBe(201);
    const answer = page.locator('[data-sapa="message"][data-direction="out"]', { hasText: 'Baik Bu Siti, kami cek dulu ya.' });
    await answer.locator('[data-sapa="quote"]', { hasText: 'Halo, saldo saya belum masuk' }).waitFor({ timeout: 15_000 });

    // The visitor answers that message in turn (its reply action, the strip above the input); the inbox links them.
    await answer.locator('[data-sapa="reply"]').click();
    await page.locator('[data-sapa="reply-bar"]', { hasText: 'Baik Bu Siti' }).waitFor();
    await input.fill('Terima kasih');
    await input.press('Enter');
    await page.locator('[data-sapa="reply-bar"]').waitFor({ state: 'hidden' });
    await waitFor(async () => {
      const res = await stack.api('GET', `/v1/conversations/${conversation.id}/messages`, agent);
      const thanks = (res.body.items as Array<{ text: string | null; replyToMessageId: string | null }>).find((m) => m.text === 'Terima kasih');
      return thanks?.replyToMessageId === reply.body.id ? true : undefined;
    }, 20_000);

    // A reload resumes the same chat from the token in localStorage, with its transcript.
    await page.reload();
    await answer.locator('[data-sapa="quote"]', { hasText: 'Halo, saldo saya belum masuk' }).waitFor({ timeout: 15_000 });
    await expect(page.locator('[data-sapa="message"][data-direction="in"]', { hasText: 'Halo, saldo saya belum masuk' }).count()).resolves.toBe(1);
    expect(await stack.db.selectFrom('livechat_visitors').select('id').where('channel_id', '=', channelId).execute()).toHaveLength(1);

    // The visitor closes the tab: the question at once, then the closing after 2 s without an answer.
    await page.close();
    const closed = await waitFor(async () => {
      const res = await stack.api('GET', `/v1/conversations/${conversation.id}`, agent);
      return res.body.status === 'closed' ? res.body : undefined;
    }, 30_000);
    expect(closed).toMatchObject({ status: 'closed', closeReason: 'no_response' });

    // Published to the visitor's socket is as far as the channel goes: every reply and system message becomes `sent`.
    const items = await waitFor(async () => {
      const transcript = await stack.api('GET', `/v1/conversations/${conversation.id}/messages`, agent);
      const all = transcript.body.items as Array<{ authorType: string; text: string | null; status: string }>;
      return all.length === 6 && all.every((m) => m.authorType === 'contact' || m.status === 'sent') ? all : undefined;
    }, 15_000);
    const lines = items.map((m) => [m.authorType, m.text]);
    expect(lines.slice(0, 4)).toEqual([
      ['contact', 'Halo, saldo saya belum masuk'],
      ['contact', null],
      ['agent', 'Baik Bu Siti, kami cek dulu ya.'],
      ['contact', 'Terima kasih'],
    ]);
    expect(lines.slice(4)).toEqual([
      ['system', NUDGE],
      ['system', expect.stringMatching(/^Terima kasih telah menghubungi Toko Online\. Selamat (beraktifitas|beristirahat|berakhir pekan)\.$/)],
    ]);
    // The agent's stream heard the question, the closing and the close.
    await waitFor(() => (live.frames.some((f) => f.type === 'conversation.updated' && f.data.status === 'closed') ? true : undefined), 10_000);
    const systemTexts = live.frames.filter((f) => f.type === 'message.created' && f.data.authorType === 'system').map((f) => f.data.text);
    expect(systemTexts[0]).toBe(NUDGE);
    expect(systemTexts).toHaveLength(2);
    live.close();

    // Back on the page later: the widget shows the whole conversation, question and closing included, and that it closed.
    page = await context.newPage();
    await page.goto(`${shopOrigin}/`);
    await page.locator('[data-sapa="message"][data-author="system"]', { hasText: NUDGE }).waitFor({ timeout: 15_000 });
    await page.locator('[data-sapa="notice"]').first().waitFor({ timeout: 15_000 });
    await context.close();
  }, 180_000);

  it('refuses the widget on a page of an origin the channel does not allow', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const refused = page.waitForEvent('websocket').then((ws) => new Promise<boolean>((resolve) => ws.on('socketerror', () => resolve(true)).on('close', () => resolve(true))));
    // localhost is another origin than the allowed 127.0.0.1, though it is the same page.
    await page.goto(`http://localhost:${shop.port}/`);
    await page.locator('[data-sapa="launcher"]').click();
    await expect(refused).resolves.toBe(true);
    await expect(page.locator('[data-sapa="field-name"]').count()).resolves.toBe(0);
    await context.close();
  }, 60_000);
});
