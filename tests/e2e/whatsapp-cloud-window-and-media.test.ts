import { createHash } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { sql } from 'kysely';
import { goOnline } from '../support/agent-session.js';
import { createChannel } from '../support/channel-through-api.js';
import { postSignedWebhook, startFakeGraphApi, whatsappWebhookBody } from '../support/fakes/graph-api.js';
import { waitFor } from '../support/stack.js';
import { useStackWith } from '../support/use-stack.js';

const PHONE_NUMBER_ID = '106540352242933';
const ACCESS_TOKEN = 'EAAGe2eFakeAccessTokenWindow0123456789';
const APP_SECRET = 'e2e-window-app-secret-0123456789';
const VERIFY_TOKEN = 'e2e-window-verify';
const WA_ID = '6281298765432';

/** A real 1×1 PNG: the customer's photo of a transfer receipt. */
const RECEIPT = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC', 'base64');
/** The agent's answer: a small PDF. */
const LETTER = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n', 'latin1');

/**
 * issue 7 §WhatsApp Cloud, end to end: a customer's photo is fetched from the Graph media endpoint and kept; the agent
 * answers with a file, uploaded to the number's media store and sent by id; the customer then stays silent for more
 * than a day (the clock moved in Postgres), so free text is refused with 409 outside_service_window and an approved
 * template goes instead, the fake Graph API receiving exactly the documented template request.
 */
describe('WhatsApp Cloud: media both ways, and the 24-hour window', () => {
  const world = useStackWith(startFakeGraphApi, { attachments: true });

  it('keeps the photo, sends a file, refuses late free text and sends the template', async () => {
    const { stack, fake: graph, tenant } = world;
    const created = await createChannel(stack, tenant.users.admin!.token, {
      type: 'whatsapp_cloud',
      name: 'WhatsApp Toko Online',
      config: { phoneNumberId: PHONE_NUMBER_ID, accessToken: ACCESS_TOKEN, appSecret: APP_SECRET, verifyToken: VERIFY_TOKEN, graphApiBase: graph.url, messagesPerSecond: 20 },
    });
    const webhookUrl = `${stack.gatewayUrl}/webhooks/whatsapp/${created.id}`;
    const session = await goOnline(stack, tenant.users.agent1!);
    const { agent } = session;

    // The customer sends a photo with a caption; Meta holds the file under a media id.
    const mediaId = graph.media.add({ body: RECEIPT, mimeType: 'image/png' });
    const photo = {
      from: WA_ID,
      id: 'wamid.HBgNNjI4MTI5ODc2NTQzMhUCABIYFjNFQjBDMkU5',
      timestamp: String(Math.floor(Date.now() / 1000)),
      type: 'image',
      image: { id: mediaId, mime_type: 'image/png', sha256: createHash('sha256').update(RECEIPT).digest('hex'), caption: 'Ini struk transfernya' },
    };
    const inbound = whatsappWebhookBody(PHONE_NUMBER_ID, { contacts: [{ profile: { name: 'Sari' }, wa_id: WA_ID }], messages: [photo] });
    expect((await postSignedWebhook(webhookUrl, inbound, APP_SECRET)).status).toBe(202);

    const conversationId = (await session.assignment()).id;

    // The media worker fetched it through GET /{media-id} and its url, and Sapa now holds the bytes.
    const kept = await waitFor(async () => {
      const row = await stack.db.selectFrom('messages').select(['attachments', 'text']).where('conversation_id', '=', conversationId).where('direction', '=', 'in').executeTakeFirst();
      return row?.attachments[0]?.id ? row : undefined;
    });
    expect(kept.text).toBe('Ini struk transfernya');
    expect(kept.attachments[0]).toMatchObject({ contentType: 'image/png', size: RECEIPT.length });
    expect(graph.requests.filter((r) => r.httpMethod === 'GET').map((r) => r.path.split('?')[0])).toEqual([`/v21.0/${mediaId}`, '/whatsapp_business/attachments/']);

    // Inside the window the agent answers with a file: uploaded to the number, then sent by id with the text as caption.
    const form = new FormData();
    form.append('file', new Blob([LETTER], { type: 'application/pdf' }), 'surat.pdf');
    const uploadRes = await fetch(`${stack.inboxUrl}/v1/attachments`, { method: 'POST', headers: { authorization: `Bearer ${agent.token}` }, body: form });
    expect(uploadRes.status).toBe(201);
    const uploaded = (await uploadRes.json()) as { id: string };
    await session.reply(conversationId, { text: 'Berikut suratnya, Bu Sari.', attachments: [{ id: uploaded.id }] });
    const upload = graph.media.uploads[0]!;
    expect([upload.mimeType, upload.filename, upload.body.equals(LETTER)]).toEqual(['application/pdf', 'surat.pdf', true]);
    expect(graph.messageSends().map((r) => r.body)).toEqual([
      { messaging_product: 'whatsapp', recipient_type: 'individual', to: WA_ID, type: 'document', document: { id: upload.id, filename: 'surat.pdf', caption: 'Berikut suratnya, Bu Sari.' } },
    ]);

    // A day and an hour pass without a word from the customer.
    await stack.db
      .updateTable('messages')
      .set({ created_at: sql`now() - interval '25 hours'`, sent_at: sql`now() - interval '25 hours'` })
      .where('conversation_id', '=', conversationId)
      .where('direction', '=', 'in')
      .execute();

    const late = await stack.api('POST', `/v1/conversations/${conversationId}/messages`, agent.token, { text: 'Bu Sari, apakah masih ada kendala?' });
    expect([late.status, late.body.error.code]).toEqual([409, 'outside_service_window']);
    expect(Date.parse(late.body.error.details.windowClosedAt) - Date.parse(late.body.error.details.lastCustomerMessageAt)).toBe(24 * 60 * 60 * 1000);

    const template = { name: 'follow_up_case', language: 'id', components: [{ type: 'body', parameters: [{ type: 'text', text: 'Sari' }] }] };
    await session.reply(conversationId, { template });

    const sends = graph.messageSends();
    expect(sends).toHaveLength(2);
    expect(sends[1]).toMatchObject({ httpMethod: 'POST', path: `/v21.0/${PHONE_NUMBER_ID}/messages` });
    expect(sends[1]!.headers.authorization).toBe(`Bearer ${ACCESS_TOKEN}`);
    expect(sends[1]!.body).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: WA_ID,
      type: 'template',
      template: { name: 'follow_up_case', language: { code: 'id' }, components: template.components },
    });

    expect((await session.transcript(conversationId)).map((m) => [m.direction, m.text])).toEqual([
      ['in', 'Ini struk transfernya'],
      ['out', 'Berikut suratnya, Bu Sari.'],
      ['out', '[template: follow_up_case (id)]'],
    ]);
    session.close();
  });
});
