import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { createApiChannel, createTenant, type TestTenant } from '@sapa/test-support';
import { routerHarness } from './router-harness.js';

/**
 * The router asks the gateway's media worker for the files of every inbound message that only points at them, once
 * per message (job id `media.<message id>`), and asks again when a redelivered job finds the message stored with its
 * files still missing: the first try may have died between its commit and its request.
 */
describe('asking for the files of an inbound message', () => {
  const h = routerHarness();
  let tenant: TestTenant;
  let channelId: string;

  beforeAll(async () => {
    tenant = await createTenant(h.db, { budi: { roles: ['agent'], teams: ['cs'] } }, ['cs']);
    channelId = (await createApiChannel(h.db, tenant.id)).id;
    await h.startRouter();
  });
  afterAll(async () => {
    await h.producer.queue('media.fetch').obliterate({ force: true });
    await h.close();
  });

  const photo = { url: 'https://cdn.example/p.jpg', contentType: 'image/jpeg' };
  const mediaJob = (messageId: string) => h.producer.queue('media.fetch').getJob(`media.${messageId}`);
  async function receive(externalMessageId: string, attachments = [photo]) {
    const jobId = await h.send({ tenantId: tenant.id, channelId, channelType: 'api', externalMessageId, from: { externalId: 'c-1' }, text: 'foto', attachments });
    await h.settle();
    // Gone, so the same message can be processed again below, as BullMQ does with a job whose worker died.
    await h.producer.queue('inbound').remove(jobId);
    return h.db.selectFrom('messages').select('id').where('channel_id', '=', channelId).where('external_id', '=', externalMessageId).executeTakeFirstOrThrow();
  }

  it('asks once for a message with files, and never for one without', async () => {
    const withFile = await receive(randomUUID());
    expect((await mediaJob(withFile.id))?.data).toEqual({ tenantId: tenant.id, messageId: withFile.id });
    const without = await receive(randomUUID(), []);
    expect(await mediaJob(without.id)).toBeUndefined();
  });

  it('asks again when a redelivered job finds the message stored and its files still missing', async () => {
    const externalId = randomUUID();
    const stored = await receive(externalId);
    // As if the first try had died before its request: no media job.
    await (await mediaJob(stored.id))!.remove();
    await receive(externalId);
    expect((await mediaJob(stored.id))?.data).toEqual({ tenantId: tenant.id, messageId: stored.id });
  });

  it('does not ask again once the files are held or refused', async () => {
    const externalId = randomUUID();
    const stored = await receive(externalId);
    await (await mediaJob(stored.id))!.remove();
    await h.db
      .updateTable('messages')
      .set({ attachments: JSON.stringify([{ ...photo, id: randomUUID(), size: 10 }]) })
      .where('id', '=', stored.id)
      .execute();
    await receive(externalId);
    expect(await mediaJob(stored.id)).toBeUndefined();
  });
});
