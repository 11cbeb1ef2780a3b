import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { attachmentSigningKey, signAttachmentLink } from '@sapa/attachments';
import { createTenant, testEnv, type TestTenant } from '@sapa/test-support';
import { startCallbackServer, startStack, waitFor } from '../support/stack.js';

/** A real 1×1 PNG, the customer's photo of a transfer receipt. */
const RECEIPT = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC', 'base64');
/** The agent's answer: a small PDF. */
const LETTER = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n', 'latin1');

/**
 * issue 7 item 4, end to end: a file an integrator's customer sent is fetched and kept by Sapa, the agent opens it
 * through a short-lived signed link, and a file the agent uploads reaches the integrator's callback as a signed link
 * that downloads the same bytes.
 */
describe('attachments through the api channel', () => {
  let stack: Awaited<ReturnType<typeof startStack>>;
  let callbacks: Awaited<ReturnType<typeof startCallbackServer>>;
  let cdn: Server;
  let cdnUrl: string;
  let tenant: TestTenant;

  beforeAll(async () => {
    callbacks = await startCallbackServer();
    // The integrator's CDN, where its customers' files wait to be fetched.
    cdn = createServer((req, res) => {
      if (req.url === '/uploads/bukti.png') return void res.writeHead(200, { 'content-type': 'image/png', 'content-length': RECEIPT.length }).end(RECEIPT);
      res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => cdn.listen(0, '127.0.0.1', resolve));
    cdnUrl = `http://127.0.0.1:${(cdn.address() as AddressInfo).port}`;
    stack = await startStack({ attachments: true });
    tenant = await createTenant(stack.db);
  });

  afterAll(async () => {
    await stack?.close();
    await callbacks?.close();
    await new Promise<void>((resolve) => cdn?.close(() => resolve()));
  });

  it('keeps the customer’s file, links it to the agent, and sends the agent’s file back as a signed link', async () => {
    const agent = tenant.users.agent1!.token;
    const created = await stack.api('POST', '/v1/channels', tenant.users.admin!.token, { type: 'api', name: 'Toko Online', config: { callbackUrl: callbacks.url } });
    const { id: channelId, secret } = created.body as { id: string; secret: string };
    await stack.api('PUT', '/v1/agents/me/presence', agent, { status: 'online' });
    const live = await stack.stream(agent);

    // The customer sends a photo through the integrator: a URL, not bytes.
    const hook = await stack.postWebhook(channelId, secret, {
      messageId: `m-${randomUUID()}`,
      from: { id: 'cust-62813', name: 'Sari' },
      text: 'Ini bukti transfernya',
      attachments: [{ url: `${cdnUrl}/uploads/bukti.png`, contentType: 'image/png', filename: 'bukti.png' }],
    });
    expect(hook.status).toBe(202);
    const assigned = await waitFor(() => live.frames.find((f) => f.type === 'conversation.assigned'));
    const conversationId = assigned.data.id as string;

    // Sapa fetches and keeps the file; the inbox hears of it, and the listing links it.
    const updated = await waitFor(() => live.frames.find((f) => f.type === 'message.updated' && Array.isArray(f.data.attachments)));
    expect((updated.data.attachments as Array<{ id?: string }>)[0]!.id).toBeDefined();
    const listing = await stack.api('GET', `/v1/conversations/${conversationId}/messages`, agent);
    const [photo] = listing.body.items[0].attachments as Array<{ id: string; url: string; contentType: string; size: number; filename: string }>;
    expect(photo).toEqual({ id: expect.any(String), url: expect.stringContaining(`${stack.inboxUrl}/v1/attachments/`), contentType: 'image/png', filename: 'bukti.png', size: RECEIPT.length });

    // The agent opens it through the signed link, with no token.
    const opened = await fetch(photo.url);
    expect(opened.status).toBe(200);
    expect(Buffer.from(await opened.arrayBuffer()).equals(RECEIPT)).toBe(true);
    expect(opened.headers.get('content-type')).toBe('image/png');
    expect(opened.headers.get('x-content-type-options')).toBe('nosniff');
    expect(opened.headers.get('content-disposition')).toMatch(/^attachment; /);

    // A changed link, or one past its time, opens nothing.
    const tampered = await fetch(photo.url.replace(/signature=([0-9a-f])/, (_m, c: string) => `signature=${c === '0' ? '1' : '0'}`));
    expect([tampered.status, ((await tampered.json()) as { error: { code: string } }).error.code]).toEqual([403, 'invalid_signature']);
    const old = signAttachmentLink(attachmentSigningKey(testEnv().secretKey), { tenantId: tenant.id, attachmentId: photo.id, expiresAt: new Date(Date.now() - 1000) });
    const expired = await fetch(`${stack.inboxUrl}/v1/attachments/${photo.id}/content?expires=${old.expires}&signature=${old.signature}`);
    expect([expired.status, ((await expired.json()) as { error: { code: string } }).error.code]).toEqual([403, 'link_expired']);

    // The agent uploads a letter and replies with it.
    const form = new FormData();
    form.append('file', new Blob([LETTER], { type: 'application/pdf' }), 'surat keterangan.pdf');
    const uploadRes = await fetch(`${stack.inboxUrl}/v1/attachments`, { method: 'POST', headers: { authorization: `Bearer ${agent}` }, body: form });
    expect(uploadRes.status).toBe(201);
    const uploaded = (await uploadRes.json()) as { id: string; contentType: string; size: number };
    expect(uploaded).toMatchObject({ contentType: 'application/pdf', size: LETTER.length });
    const reply = await stack.api('POST', `/v1/conversations/${conversationId}/messages`, agent, { text: 'Berikut suratnya, Bu Sari.', attachments: [{ id: uploaded.id }] });
    expect(reply.status).toBe(201);

    // The integrator's callback carries a signed link on the gateway that downloads the same bytes.
    const delivered = await waitFor(() => callbacks.received.find((c) => JSON.parse(c.raw).messageId === reply.body.id));
    expect(callbacks.verified(delivered, secret)).toBe(true);
    const body = JSON.parse(delivered.raw) as { attachments: Array<{ url: string; contentType: string; filename: string; size: number; id?: string }> };
    expect(body.attachments).toEqual([{ url: expect.stringContaining(`${stack.gatewayUrl}/attachments/${uploaded.id}?expires=`), contentType: 'application/pdf', filename: 'surat keterangan.pdf', size: LETTER.length }]);
    const fetched = await fetch(body.attachments[0]!.url);
    expect(fetched.status).toBe(200);
    expect(Buffer.from(await fetched.arrayBuffer()).equals(LETTER)).toBe(true);
    live.close();
  });
});
