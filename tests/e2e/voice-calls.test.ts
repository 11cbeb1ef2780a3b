import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { signPayload } from '@sapa/contracts';
import { createTenant, type TestTenant } from '@sapa/test-support';
import { startStack, waitFor } from '../support/stack.js';

/**
 * issue 8 item 3 end to end: a PBX posts signed call events to the gateway; the voice service turns them into the
 * call's conversation, held by the agent whose extension rings, counted against the agent's voice capacity; the
 * ended call is closed with its record (times, duration, recording) readable through the inbox API; a missed call
 * becomes a callback task the router gives to a free agent of the team, who sees it live, and whose call back (an
 * outbound call from their extension) completes it.
 */
describe('voice calls from a PBX webhook', () => {
  let stack: Awaited<ReturnType<typeof startStack>>;
  let tenant: TestTenant;
  let channelId: string;
  let secret: string;
  const admin = () => tenant.users.admin!.token;

  beforeAll(async () => {
    stack = await startStack({ voice: true });
    tenant = await createTenant(stack.db);
  });
  afterAll(async () => {
    await stack?.close();
  });

  function postCall(body: Record<string, unknown>) {
    const raw = JSON.stringify(body);
    const ts = Math.floor(Date.now() / 1000);
    return fetch(`${stack.gatewayUrl}/webhooks/voice/${channelId}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-sapa-timestamp': String(ts), 'x-sapa-signature': signPayload(secret, ts, raw) },
      body: raw,
    });
  }
  const voiceLoad = async (user: 'agent1' | 'agent2') => {
    const list = await stack.api('GET', '/v1/agents', admin());
    return (list.body.items as Array<{ id: string; activeConversations: { voice: number } }>).find((a) => a.id === tenant.users[user]!.id)!.activeConversations.voice;
  };

  it('walks a call from ringing to its record, then routes a missed call to a free agent as a callback task', async () => {
    // An admin creates the voice channel (its signing secret shown once) and gives the agents their extensions.
    const created = await stack.api('POST', '/v1/channels', admin(), { type: 'voice', name: 'PBX Jakarta', config: { provider: 'webhook' } });
    expect(created.status).toBe(201);
    ({ id: channelId, secret } = created.body as { id: string; secret: string });
    expect(created.body.webhookUrl).toBe(`${stack.gatewayUrl}/webhooks/voice/${channelId}`);
    for (const [user, extension] of [['agent1', '201'], ['agent2', '202']] as const) {
      const put = await stack.api('PUT', `/v1/agents/${tenant.users[user]!.id}`, admin(), { extension });
      expect(put.status).toBe(200);
      expect(put.body.extension).toBe(extension);
      expect((await stack.api('PUT', '/v1/agents/me/presence', tenant.users[user]!.token, { status: 'online' })).status).toBe(200);
    }
    expect((await stack.api('PUT', `/v1/agents/${tenant.users.agent2!.id}`, admin(), { extension: '201' })).body.error.code).toBe('extension_taken');
    const agent1Stream = await stack.stream(tenant.users.agent1!.token);
    const agent2Stream = await stack.stream(tenant.users.agent2!.token);

    // Ringing at 201: agent 1 holds the call's conversation, live, and a unit of voice capacity.
    const callId = `pbx-${randomUUID()}`;
    const call = { callId, caller: '+6281234567890', callerName: 'Siti', calledNumber: '02150001234', agentExtension: '201' };
    const started = Math.floor(Date.now() / 1000);
    expect((await postCall({ ...call, event: 'ringing', timestamp: started })).status).toBe(202);
    const assigned = await waitFor(() => agent1Stream.frames.find((f) => f.type === 'conversation.assigned' && f.data.channelType === 'voice'));
    const conversationId = assigned.data.id as string;
    expect(assigned.data).toMatchObject({ status: 'assigned', assigneeId: tenant.users.agent1!.id, channelType: 'voice', contact: { name: 'Siti' } });
    expect(await voiceLoad('agent1')).toBe(1);

    // The same event again changes nothing.
    expect((await postCall({ ...call, event: 'ringing', timestamp: started })).status).toBe(200);

    // Answered, then ended with the recording: the conversation closes and the capacity comes back.
    expect((await postCall({ ...call, event: 'answered', timestamp: started + 3 })).status).toBe(202);
    expect((await postCall({ ...call, event: 'ended', timestamp: started + 128, recordingUrl: 'https://pbx.example/rec/siti.wav' })).status).toBe(202);
    const closed = await waitFor(async () => {
      const c = await stack.api('GET', `/v1/conversations/${conversationId}`, tenant.users.agent1!.token);
      return c.body.status === 'closed' ? c.body : undefined;
    });
    expect(closed).toMatchObject({ closeReason: 'call_ended', assigneeId: tenant.users.agent1!.id });
    expect(await voiceLoad('agent1')).toBe(0);

    const calls = await stack.api('GET', `/v1/conversations/${conversationId}/calls`, tenant.users.agent1!.token);
    expect(calls.status).toBe(200);
    expect(calls.body.items).toEqual([
      expect.objectContaining({
        callId,
        status: 'ended',
        caller: '+6281234567890',
        calledNumber: '02150001234',
        agentExtension: '201',
        agentId: tenant.users.agent1!.id,
        ringingAt: new Date(started * 1000).toISOString(),
        answeredAt: new Date((started + 3) * 1000).toISOString(),
        endedAt: new Date((started + 128) * 1000).toISOString(),
        durationSeconds: 125,
        recordingUrl: 'https://pbx.example/rec/siti.wav',
        callback: false,
      }),
    ]);
    const transcript = await stack.api('GET', `/v1/conversations/${conversationId}/messages`, tenant.users.agent1!.token);
    expect(transcript.body.items.map((m: { authorType: string; text: string }) => `${m.authorType}: ${m.text}`)).toEqual([
      'system: Panggilan masuk dari +6281234567890',
      'system: Panggilan selesai, durasi 2:05',
    ]);
    // The agent documents the call afterwards, through the same phases as any conversation.
    const documented = await stack.api('POST', `/v1/conversations/${conversationId}/phase`, tenant.users.agent1!.token, { phase: 'documented', skipReason: 'ditangani lewat telepon' });
    expect(documented.status).toBe(200);
    expect(documented.body.phase).toBe('documented');

    // Agent 1 takes another call; meanwhile a caller gives up in the PBX queue before anyone rang.
    const busy = { callId: `pbx-${randomUUID()}`, caller: '+6281111111111', agentExtension: '201' };
    expect((await postCall({ ...busy, event: 'answered' })).status).toBe(202);
    await waitFor(async () => ((await voiceLoad('agent1')) === 1 ? true : undefined));
    const missedId = `pbx-${randomUUID()}`;
    expect((await postCall({ callId: missedId, caller: '+6289876543210', event: 'missed', reason: 'abandoned' })).status).toBe(202);

    // The callback task goes through the router to the free agent of the team, who sees it live.
    const callback = await waitFor(() =>
      agent2Stream.frames.find((f) => f.type === 'conversation.assigned' && f.data.channelType === 'voice' && f.data.assigneeId === tenant.users.agent2!.id),
    );
    expect(callback.data).toMatchObject({ assigneeId: tenant.users.agent2!.id, priority: 10, status: 'assigned' });
    const note = await stack.api('GET', `/v1/conversations/${callback.data.id}/messages`, tenant.users.agent2!.token);
    expect(note.body.items.map((m: { text: string }) => m.text)).toContain('Panggilan tak terjawab dari +6289876543210 — mohon telepon balik');
    const missedCalls = await stack.api('GET', `/v1/conversations/${callback.data.id}/calls`, tenant.users.agent2!.token);
    expect(missedCalls.body.items).toEqual([expect.objectContaining({ callId: missedId, status: 'missed', missedReason: 'abandoned', callback: true, durationSeconds: null })]);
    expect(await voiceLoad('agent2')).toBe(1);

    // Agent 2 rings the customer back from the softphone; the PBX reports the call as outbound. Answered, it completes
    // the callback task by itself; ended, it closes the conversation and frees agent 2.
    const back = { callId: `pbx-${randomUUID()}`, direction: 'outbound', caller: '+6289876543210', agentExtension: '202' };
    for (const event of ['ringing', 'answered', 'ended']) expect((await postCall({ ...back, event })).status).toBe(202);
    const done = await waitFor(async () => {
      const list = await stack.api('GET', `/v1/conversations/${callback.data.id}/calls`, tenant.users.agent2!.token);
      return list.body.items.some((c: { status: string }) => c.status === 'ended') && list.body.callbackTask?.status === 'done' ? list.body : undefined;
    });
    const outbound = done.items.find((c: { callId: string }) => c.callId === back.callId);
    expect(outbound).toMatchObject({ direction: 'outbound', status: 'ended', agentId: tenant.users.agent2!.id, caller: '+6289876543210' });
    expect(done.callbackTask).toMatchObject({ status: 'done', attempts: 0, doneByCallId: outbound.id });
    await waitFor(async () => ((await voiceLoad('agent2')) === 0 ? true : undefined));

    agent1Stream.close();
    agent2Stream.close();
  });
});
