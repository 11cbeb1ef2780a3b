import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sql } from 'kysely';
import { bearer, createHarness, type Harness } from './harness.js';
import { multipartFileText } from './multipart.js';
import type { RouteRequest } from './route-cases.js';
import { seedConversation, tenantSnapshot } from './seed.js';
import { createWorld, type UserName, type World } from './world.js';

/** Bad input gets a 400 with a code and changes nothing (ARCHITECTURE.md §Guarantees). */
describe('bad input', () => {
  let h: Harness;
  let w: World;
  let conv: string;
  let failed: string;
  let contact: string;
  let foreignMessage: string;
  beforeAll(async () => {
    h = await createHarness();
    w = await createWorld(h.deps.db);
    conv = await w.agent1Conversation();
    const other = await w.agent1Conversation();
    foreignMessage = (await h.deps.db.selectFrom('messages').select('id').where('conversation_id', '=', other).executeTakeFirstOrThrow()).id;
    failed = await w.failedDelivery();
    contact = await w.agent1Contact();
  });
  afterAll(() => h.close());

  const long = 'x'.repeat(201);
  const settings = (payload: Record<string, unknown>): RouteRequest => ({ method: 'PATCH', url: '/v1/tenant/settings', payload });
  const holidays = (items: unknown[]): RouteRequest => ({ method: 'PUT', url: '/v1/tenant/holidays', payload: { items } });
  const ics = (body: string): RouteRequest => ({ method: 'POST', url: '/v1/tenant/holidays/import', payload: body, headers: { 'content-type': 'text/calendar' } });
  const calendar = (...eventLines: string[]) =>
    ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Sapa tests//EN', 'BEGIN:VEVENT', 'UID:bad-input@sapa.test', 'DTSTAMP:20260101T000000Z', ...eventLines, 'SUMMARY:Libur', 'END:VEVENT', 'END:VCALENDAR', ''].join('\r\n');
  const api = (config: unknown, extra: Record<string, unknown> = {}) => ({ type: 'api', name: 'CRM', config, ...extra });
  const agentProfile = (payload: Record<string, unknown>): RouteRequest => ({ method: 'PUT', url: `/v1/agents/${w.userId('agent1')}`, payload });
  const routingRules = (items: unknown[]): RouteRequest => ({ method: 'PUT', url: '/v1/routing/rules', payload: { items } });

  // [what, as, request, code]
  const cases: Array<[string, UserName | null, () => RouteRequest, string]> = [
    ['login without a password', null, () => ({ method: 'POST', url: '/v1/auth/login', payload: { email: 'a@b.test' } }), 'validation_failed'],
    ['login with an unknown field', null, () => ({ method: 'POST', url: '/v1/auth/login', payload: { email: 'a@b.test', password: 'x', tenant: 'y' } }), 'validation_failed'],
    ['an api token without roles', 'admin', () => ({ method: 'POST', url: '/v1/api-tokens', payload: { name: 'x', roles: [] } }), 'validation_failed'],
    ['an api token with an unknown role', 'admin', () => ({ method: 'POST', url: '/v1/api-tokens', payload: { name: 'x', roles: ['root'] } }), 'validation_failed'],
    ['an api token with an empty name', 'admin', () => ({ method: 'POST', url: '/v1/api-tokens', payload: { name: '', roles: ['agent'] } }), 'validation_failed'],
    ['a channel of an unknown type', 'admin', () => ({ method: 'POST', url: '/v1/channels', payload: { ...api({ callbackUrl: 'https://x.example' }), type: 'fax' } }), 'validation_failed'],
    ['an api channel with an ftp callbackUrl', 'admin', () => ({ method: 'POST', url: '/v1/channels', payload: api({ callbackUrl: 'ftp://x.example/cb' }) }), 'invalid_channel_config'],
    ['an api channel with a callbackUrl that is no URL', 'admin', () => ({ method: 'POST', url: '/v1/channels', payload: api({ callbackUrl: 'crm hook' }) }), 'invalid_channel_config'],
    ['an api channel without a callbackUrl', 'admin', () => ({ method: 'POST', url: '/v1/channels', payload: api({}) }), 'invalid_channel_config'],
    ['an api channel with an unknown config key', 'admin', () => ({ method: 'POST', url: '/v1/channels', payload: api({ callbackUrl: 'https://x.example', secret: 's' }) }), 'invalid_channel_config'],
    ['a channel with a teamId that is no uuid', 'admin', () => ({ method: 'POST', url: '/v1/channels', payload: api({ callbackUrl: 'https://x.example' }, { teamId: 'cs' }) }), 'validation_failed'],
    ['a channel of an unknown team', 'admin', () => ({ method: 'POST', url: '/v1/channels', payload: api({ callbackUrl: 'https://x.example' }, { teamId: '00000000-0000-4000-8000-000000000000' }) }), 'team_not_found'],
    ['a channel without a name', 'admin', () => ({ method: 'POST', url: '/v1/channels', payload: { type: 'api', config: { callbackUrl: 'https://x.example' } } }), 'validation_failed'],
    ['unlinking a channel whose id is no uuid', 'admin', () => ({ method: 'DELETE', url: '/v1/channels/wa-toko/pairing' }), 'validation_failed'],
    ['unlinking an unknown channel', 'admin', () => ({ method: 'DELETE', url: '/v1/channels/00000000-0000-4000-8000-000000000000/pairing' }), 'channel_not_found'],
    ['a presence that does not exist', 'agent1', () => ({ method: 'PUT', url: '/v1/agents/me/presence', payload: { status: 'busy' } }), 'validation_failed'],
    ['an agent profile without a field', 'admin', () => agentProfile({}), 'validation_failed'],
    ['an agent profile with an unknown field', 'admin', () => agentProfile({ status: 'online' }), 'validation_failed'],
    ['an agent profile with a skill level of 0', 'admin', () => agentProfile({ skills: [{ key: 'billing', level: 0 }] }), 'validation_failed'],
    ['an agent profile with a skill given twice', 'admin', () => agentProfile({ skills: [{ key: 'billing', level: 1 }, { key: 'billing', level: 2 }] }), 'validation_failed'],
    ['an agent profile with a language that is no code', 'admin', () => agentProfile({ languages: ['bahasa indonesia'] }), 'validation_failed'],
    ['an agent profile with a capacity over 1000', 'admin', () => agentProfile({ capacity: { email: 1001 } }), 'validation_failed'],
    ['an agent profile with an empty capacity', 'admin', () => agentProfile({ capacity: {} }), 'validation_failed'],
    ['an agent profile with a team that is no uuid', 'admin', () => agentProfile({ teams: ['tier2'] }), 'validation_failed'],
    ['an agent profile of an id that is no uuid', 'admin', () => ({ method: 'PUT', url: '/v1/agents/agent1', payload: { languages: ['id'] } }), 'validation_failed'],
    ['an agent profile of an unknown agent', 'admin', () => ({ method: 'PUT', url: '/v1/agents/00000000-0000-4000-8000-000000000000', payload: { languages: ['id'] } }), 'agent_not_found'],
    ['an agent profile of a user who is no agent', 'lead', () => ({ method: 'PUT', url: `/v1/agents/${w.userId('qc')}`, payload: { languages: ['id'] } }), 'agent_not_found'],
    ['an agent profile with an unknown team', 'admin', () => agentProfile({ capacity: { chat: 9 }, teams: ['00000000-0000-4000-8000-000000000000'] }), 'team_not_found'],
    ['routing rules without items', 'admin', () => ({ method: 'PUT', url: '/v1/routing/rules', payload: {} }), 'validation_failed'],
    ['routing rules with a key used twice', 'admin', () => routingRules([{ key: 'a', when: { keywords: ['saldo'] }, then: { priority: 1 } }, { key: 'a', when: { keywords: ['deposit'] }, then: { priority: 2 } }]), 'validation_failed'],
    ['a routing rule with an unknown team', 'admin', () => routingRules([{ key: 'a', when: { keywords: ['saldo'] }, then: { teamId: '00000000-0000-4000-8000-000000000000' } }]), 'validation_failed'],
    ['a routing rule with an unknown channel', 'admin', () => routingRules([{ key: 'a', when: { channelIds: ['00000000-0000-4000-8000-000000000000'] }, then: { priority: 1 } }]), 'validation_failed'],
    ['a routing rule with an empty when', 'admin', () => routingRules([{ key: 'a', when: {}, then: { priority: 1 } }]), 'validation_failed'],
    ['a routing rule with a one-letter keyword', 'admin', () => routingRules([{ key: 'a', when: { keywords: ['x'] }, then: { priority: 1 } }]), 'validation_failed'],
    ['a routing rule with a priority of -1', 'admin', () => routingRules([{ key: 'a', when: { keywords: ['saldo'] }, then: { priority: -1 } }]), 'validation_failed'],
    ['a reply without text', 'agent1', () => ({ method: 'POST', url: `/v1/conversations/${conv}/messages`, payload: { text: '' } }), 'validation_failed'],
    ['a reply with an attachment that has no URL', 'agent1', () => ({ method: 'POST', url: `/v1/conversations/${conv}/messages`, payload: { text: 'x', attachments: [{ url: 'nope', contentType: 'image/png' }] } }), 'validation_failed'],
    ['a reply with no body', 'agent1', () => ({ method: 'POST', url: `/v1/conversations/${conv}/messages` }), 'validation_failed'],
    ['a reply with neither text nor attachments', 'agent1', () => ({ method: 'POST', url: `/v1/conversations/${conv}/messages`, payload: { attachments: [] } }), 'validation_failed'],
    ['a reply naming an attachment id no one uploaded', 'agent1', () => ({ method: 'POST', url: `/v1/conversations/${conv}/messages`, payload: { attachments: [{ id: '00000000-0000-4000-8000-000000000000' }] } }), 'unknown_attachment'],
    ['an upload sent as JSON', 'agent1', () => ({ method: 'POST', url: '/v1/attachments', payload: { file: 'aGFsbw==' } }), 'multipart_required'],
    ['an upload of an HTML page', 'agent1', () => ({ method: 'POST', url: '/v1/attachments', ...multipartFileText('<!doctype html><script>alert(1)</script>', 'text/html') }), 'attachment_type_refused'],
    ['a WhatsApp template reply on an api channel', 'agent1', () => ({ method: 'POST', url: `/v1/conversations/${conv}/messages`, payload: { template: { name: 'follow_up', language: 'id' } } }), 'template_not_supported'],
    ['a template reply with a name in capitals', 'agent1', () => ({ method: 'POST', url: `/v1/conversations/${conv}/messages`, payload: { template: { name: 'Follow Up', language: 'id' } } }), 'validation_failed'],
    ['a template reply with language in the wire shape', 'agent1', () => ({ method: 'POST', url: `/v1/conversations/${conv}/messages`, payload: { template: { name: 'follow_up', language: { code: 'id' } } } }), 'validation_failed'],
    ['a template reply with an unknown component', 'agent1', () => ({ method: 'POST', url: `/v1/conversations/${conv}/messages`, payload: { template: { name: 'follow_up', language: 'id', components: [{ type: 'footer', parameters: [] }] } } }), 'validation_failed'],
    ['a reply answering a message that is no uuid', 'agent1', () => ({ method: 'POST', url: `/v1/conversations/${conv}/messages`, payload: { text: 'x', replyToMessageId: 'm-1' } }), 'validation_failed'],
    ['a reply answering a message of another conversation', 'agent1', () => ({ method: 'POST', url: `/v1/conversations/${conv}/messages`, payload: { text: 'x', replyToMessageId: foreignMessage } }), 'invalid_reply_target'],
    ['a reply answering a message that does not exist', 'agent1', () => ({ method: 'POST', url: `/v1/conversations/${conv}/messages`, payload: { text: 'x', replyToMessageId: '00000000-0000-4000-8000-000000000000' } }), 'invalid_reply_target'],
    ['a template reply answering a message', 'agent1', () => ({ method: 'POST', url: `/v1/conversations/${conv}/messages`, payload: { template: { name: 'follow_up', language: 'id' }, replyToMessageId: foreignMessage } }), 'validation_failed'],
    ['a reply with text and a template together', 'agent1', () => ({ method: 'POST', url: `/v1/conversations/${conv}/messages`, payload: { text: 'Halo', template: { name: 'follow_up', language: 'id' } } }), 'validation_failed'],
    ['a transfer naming neither agent nor team', 'agent1', () => ({ method: 'POST', url: `/v1/conversations/${conv}/transfer`, payload: { note: 'x' } }), 'validation_failed'],
    ['a transfer naming both agent and team', 'agent1', () => ({ method: 'POST', url: `/v1/conversations/${conv}/transfer`, payload: { agentId: w.userId('agent2'), teamId: w.tenant.teamId } }), 'validation_failed'],
    ['a transfer to an agent id that is no uuid', 'agent1', () => ({ method: 'POST', url: `/v1/conversations/${conv}/transfer`, payload: { agentId: 'agent2' } }), 'validation_failed'],
    ['a transfer to an unknown agent', 'agent1', () => ({ method: 'POST', url: `/v1/conversations/${conv}/transfer`, payload: { agentId: '00000000-0000-4000-8000-000000000000' } }), 'agent_not_found'],
    ['a transfer to a user who is no agent', 'agent1', () => ({ method: 'POST', url: `/v1/conversations/${conv}/transfer`, payload: { agentId: w.userId('qc') } }), 'agent_not_found'],
    ['a close with an over-long reason', 'agent1', () => ({ method: 'POST', url: `/v1/conversations/${conv}/close`, payload: { reason: long } }), 'validation_failed'],
    ['a conversation id that is no uuid', 'agent1', () => ({ method: 'POST', url: '/v1/conversations/42/close', payload: {} }), 'validation_failed'],
    ['a conversation list with an unknown status', 'agent1', () => ({ method: 'GET', url: '/v1/conversations?status=open' }), 'validation_failed'],
    ['a conversation list with an assignee that is neither me nor a uuid', 'agent1', () => ({ method: 'GET', url: '/v1/conversations?assignee=bob' }), 'validation_failed'],
    ['a conversation list with a cursor this API never made', 'agent1', () => ({ method: 'GET', url: '/v1/conversations?cursor=Zm9vYmFy' }), 'invalid_cursor'],
    ['a conversation list with limit 0', 'agent1', () => ({ method: 'GET', url: '/v1/conversations?limit=0' }), 'validation_failed'],
    ['a conversation list with an unknown parameter', 'agent1', () => ({ method: 'GET', url: '/v1/conversations?sort=asc' }), 'validation_failed'],
    ['a message list with a foreign cursor', 'agent1', () => ({ method: 'GET', url: `/v1/conversations/${conv}/messages?cursor=bad` }), 'invalid_cursor'],
    ['a delivery list with an unknown status', 'admin', () => ({ method: 'GET', url: '/v1/deliveries?status=lost' }), 'validation_failed'],
    ['a delivery list with a foreign cursor', 'admin', () => ({ method: 'GET', url: '/v1/deliveries?cursor=bad' }), 'invalid_cursor'],
    ['a delivery id that is no uuid', 'admin', () => ({ method: 'POST', url: '/v1/deliveries/7/retry' }), 'validation_failed'],
    ['an unknown delivery', 'admin', () => ({ method: 'POST', url: '/v1/deliveries/00000000-0000-4000-8000-000000000000/retry' }), 'delivery_not_found'],
    ['settings with an unknown time zone', 'admin', () => settings({ timeZone: 'Asia/Bandung' }), 'validation_failed'],
    ['settings with a duration of 0 s', 'admin', () => settings({ inactivity: { firstNudgeSeconds: 0 } }), 'validation_failed'],
    ['settings with a duration over a day', 'admin', () => settings({ inactivity: { closeSeconds: 86_401 } }), 'validation_failed'],
    ['settings with a fractional duration', 'admin', () => settings({ routing: { firstResponseSeconds: 1.5 } }), 'validation_failed'],
    ['settings with a duration as text', 'admin', () => settings({ inactivity: { secondNudgeSeconds: '60' } }), 'validation_failed'],
    ['settings with an unknown key', 'admin', () => settings({ colour: 'blue' }), 'validation_failed'],
    ['settings with an unknown key inside a group', 'admin', () => settings({ inactivity: { thirdNudgeSeconds: 60 } }), 'validation_failed'],
    ['settings with a group that is not an object', 'admin', () => settings({ templates: 'Halo' }), 'validation_failed'],
    ['settings with a template using an unknown placeholder', 'admin', () => settings({ templates: { closing: 'Terima kasih {customerName}' } }), 'validation_failed'],
    ['settings with an empty brand', 'admin', () => settings({ brand: ' ' }), 'validation_failed'],
    ['settings with a WhatsApp nudge template without a language', 'admin', () => settings({ whatsapp: { nudgeTemplate: { name: 'still_there' } } }), 'validation_failed'],
    ['settings with a WhatsApp closing template with variables', 'admin', () => settings({ whatsapp: { closingTemplate: { name: 'bye', language: 'id', components: [] } } }), 'validation_failed'],
    ['settings with an unknown WhatsApp template kind', 'admin', () => settings({ whatsapp: { greetingTemplate: { name: 'hi', language: 'id' } } }), 'validation_failed'],
    ['settings with a locale that is not offered', 'admin', () => settings({ locale: 'fr' }), 'validation_failed'],
    ['settings with one good and one bad field', 'admin', () => settings({ brand: 'Toko', timeZone: 'Mars/Olympus' }), 'validation_failed'],
    ['settings without a body', 'admin', () => ({ method: 'PATCH', url: '/v1/tenant/settings' }), 'validation_failed'],
    ['holidays with a date that does not exist', 'admin', () => holidays([{ date: '2026-02-30', name: 'x', kind: 'national' }]), 'validation_failed'],
    ['holidays with a date in another format', 'admin', () => holidays([{ date: '17-08-2026', name: 'x', kind: 'national' }]), 'validation_failed'],
    ['holidays with an unknown kind', 'admin', () => holidays([{ date: '2026-08-17', name: 'x', kind: 'religious' }]), 'validation_failed'],
    ['holidays with an empty name', 'admin', () => holidays([{ date: '2026-08-17', name: '', kind: 'national' }]), 'validation_failed'],
    ['holidays with the same date twice', 'admin', () => holidays([{ date: '2026-08-17', name: 'a', kind: 'national' }, { date: '2026-08-17', name: 'b', kind: 'national' }]), 'validation_failed'],
    ['holidays with an unknown field', 'admin', () => holidays([{ date: '2026-08-17', name: 'a', kind: 'national', region: 'Bali' }]), 'validation_failed'],
    ['holidays without items', 'admin', () => ({ method: 'PUT', url: '/v1/tenant/holidays', payload: {} }), 'validation_failed'],
    ['a calendar import that is not iCalendar', 'admin', () => ics('Tahun Baru, 2026-01-01'), 'invalid_calendar'],
    ['a calendar import with an empty body', 'admin', () => ics(''), 'invalid_calendar'],
    ['a calendar import with an event of 60 days', 'admin', () => ics(calendar('DTSTART;VALUE=DATE:20260101', 'DTEND;VALUE=DATE:20260302')), 'invalid_calendar'],
    ['a calendar import with an unknown kind', 'admin', () => ({ ...ics(calendar('DTSTART;VALUE=DATE:20260101')), url: '/v1/tenant/holidays/import?kind=religious' }), 'validation_failed'],
    ['a calendar import sent as JSON', 'admin', () => ({ method: 'POST', url: '/v1/tenant/holidays/import', payload: { items: [] } }), 'unsupported_media_type'],
    ['a phase that does not exist', 'agent1', () => ({ method: 'POST', url: `/v1/conversations/${conv}/phase`, payload: { phase: 'farewell' } }), 'validation_failed'],
    ['a phase change without a body', 'agent1', () => ({ method: 'POST', url: `/v1/conversations/${conv}/phase` }), 'validation_failed'],
    ['a phase change with an empty skipReason', 'agent1', () => ({ method: 'POST', url: `/v1/conversations/${conv}/phase`, payload: { phase: 'solution', skipReason: '' } }), 'validation_failed'],
    ['a phase change with an over-long skipReason', 'agent1', () => ({ method: 'POST', url: `/v1/conversations/${conv}/phase`, payload: { phase: 'solution', skipReason: 'x'.repeat(501) } }), 'validation_failed'],
    ['a phase change with an unknown field', 'agent1', () => ({ method: 'POST', url: `/v1/conversations/${conv}/phase`, payload: { phase: 'verification', note: 'x' } }), 'validation_failed'],
    ['a call from a conversation id that is no uuid', 'agent1', () => ({ method: 'POST', url: '/v1/conversations/7/call' }), 'validation_failed'],
    ['a phase change of a conversation id that is no uuid', 'agent1', () => ({ method: 'POST', url: '/v1/conversations/7/phase', payload: { phase: 'verification' } }), 'validation_failed'],
    ['playbooks without items', 'admin', () => ({ method: 'PUT', url: '/v1/playbooks', payload: {} }), 'validation_failed'],
    ['playbooks with items that are not objects', 'admin', () => ({ method: 'PUT', url: '/v1/playbooks', payload: { items: ['x'] } }), 'validation_failed'],
    ['a playbook without steps or a group', 'admin', () => ({ method: 'PUT', url: '/v1/playbooks', payload: { items: [{ key: 'account.x', title: 'X' }] } }), 'invalid_playbooks'],
    ['a playbook read with version 0', 'agent1', () => ({ method: 'GET', url: '/v1/playbooks/account.balance_withdrawal?version=0' }), 'validation_failed'],
    ['a playbook read with a key that is no key', 'agent1', () => ({ method: 'GET', url: '/v1/playbooks/Withdrawal' }), 'validation_failed'],
    ['an unknown playbook', 'agent1', () => ({ method: 'GET', url: '/v1/playbooks/account.no_such_thing' }), 'playbook_not_found'],
    ['a contact patch with an unknown attribute', 'agent1', () => ({ method: 'PATCH', url: `/v1/contacts/${contact}`, payload: { attributes: { ktp: '3174' } } }), 'validation_failed'],
    ['a contact patch with an unknown field', 'agent1', () => ({ method: 'PATCH', url: `/v1/contacts/${contact}`, payload: { phone: '0812' } }), 'validation_failed'],
    ['a contact patch with an empty name', 'agent1', () => ({ method: 'PATCH', url: `/v1/contacts/${contact}`, payload: { name: '' } }), 'validation_failed'],
    ['a contact patch with a phone that is no number', 'agent1', () => ({ method: 'PATCH', url: `/v1/contacts/${contact}`, payload: { attributes: { registeredPhone: '12' } } }), 'invalid_phone'],
    ['a contact id that is no uuid', 'agent1', () => ({ method: 'GET', url: '/v1/contacts/42' }), 'validation_failed'],
    ['an unknown contact', 'agent1', () => ({ method: 'PATCH', url: '/v1/contacts/00000000-0000-4000-8000-000000000000', payload: { name: 'x' } }), 'contact_not_found'],
    ['a QC score missing a criterion', 'qc', () => ({ method: 'POST', url: `/v1/conversations/${conv}/qc-scores`, payload: { criteria: { greeting: 90, verification: 80, solution: 70, cross_sell: 60 } } }), 'validation_failed'],
    ['a QC score with an unknown criterion', 'qc', () => ({ method: 'POST', url: `/v1/conversations/${conv}/qc-scores`, payload: { criteria: { greeting: 90, verification: 80, solution: 70, cross_sell: 60, closing: 50, empathy: 40 } } }), 'validation_failed'],
    ['a QC score above 100', 'qc', () => ({ method: 'POST', url: `/v1/conversations/${conv}/qc-scores`, payload: { criteria: { greeting: 101, verification: 80, solution: 70, cross_sell: 60, closing: 50 } } }), 'validation_failed'],
    ['a QC score that is no integer', 'qc', () => ({ method: 'POST', url: `/v1/conversations/${conv}/qc-scores`, payload: { criteria: { greeting: 90.5, verification: 80, solution: 70, cross_sell: 60, closing: 50 } } }), 'validation_failed'],
    ['a QC listing with a from that is no date-time', 'qc', () => ({ method: 'GET', url: '/v1/qc-scores?from=yesterday' }), 'validation_failed'],
  ];

  it.each(cases)('refuses %s with a 4xx code, changing nothing', async (_what, user, request, code) => {
    const before = await tenantSnapshot(h.deps.db, w.tenant.id);
    const req = request();
    const res = await h.app.inject({ ...req, headers: { ...req.headers, ...(user ? bearer(w.token(user)) : {}) } });
    expect(res.statusCode).toBe(
      ['unsupported_media_type', 'multipart_required', 'attachment_type_refused'].includes(code) ? 415 : code.endsWith('not_found') ? 404 : code === 'invalid_reply_target' ? 422 : 400,
    );
    expect(res.json().error.code).toBe(code);
    expect(await tenantSnapshot(h.deps.db, w.tenant.id)).toEqual(before);
  });

  it('refuses a body that is not JSON with 400 invalid_json', async () => {
    const res = await h.app.inject({
      method: 'POST',
      url: '/v1/channels',
      headers: { ...bearer(w.token('admin')), 'content-type': 'application/json' },
      payload: '{"type": "api",',
    });
    expect([res.statusCode, res.json().error.code]).toEqual([400, 'invalid_json']);
  });

  describe('state conflicts (409) change nothing either', () => {
    it('refuses a reply to a closed conversation with conversation_closed', async () => {
      const closed = await seedConversation(h.deps.db, w.tenant.id, { channelId: w.channelId, teamId: w.tenant.teamId, assigneeId: w.userId('agent1'), status: 'closed' });
      const before = await tenantSnapshot(h.deps.db, w.tenant.id);
      const res = await h.app.inject({ method: 'POST', url: `/v1/conversations/${closed}/messages`, payload: { text: 'hi' }, headers: bearer(w.token('agent1')) });
      expect([res.statusCode, res.json().error.code]).toEqual([409, 'conversation_closed']);
      const transfer = await h.app.inject({ method: 'POST', url: `/v1/conversations/${closed}/transfer`, payload: { teamId: w.tenant.teamId }, headers: bearer(w.token('agent1')) });
      expect([transfer.statusCode, transfer.json().error.code]).toEqual([409, 'conversation_closed']);
      expect(await tenantSnapshot(h.deps.db, w.tenant.id)).toEqual(before);
    });

    it('refuses a written reply on a call (voice has no outbound queue) with channel_cannot_send', async () => {
      const tg = await h.deps.db
        .insertInto('channels')
        .values({ tenant_id: w.tenant.id, type: 'voice', name: 'pbx', team_id: w.tenant.teamId, config: JSON.stringify({ provider: 'webhook' }) })
        .returning('id')
        .executeTakeFirstOrThrow();
      const c = await seedConversation(h.deps.db, w.tenant.id, { channelId: tg.id, teamId: w.tenant.teamId, assigneeId: w.userId('agent1') });
      const before = await tenantSnapshot(h.deps.db, w.tenant.id);
      const res = await h.app.inject({ method: 'POST', url: `/v1/conversations/${c}/messages`, payload: { text: 'hi' }, headers: bearer(w.token('agent1')) });
      expect([res.statusCode, res.json().error.code]).toEqual([409, 'channel_cannot_send']);
      expect(await tenantSnapshot(h.deps.db, w.tenant.id)).toEqual(before);
    });

    it('refuses a click-to-call on a webhook-only voice channel with channel_cannot_call, and on an api channel too', async () => {
      const pbx = await h.deps.db
        .insertInto('channels')
        .values({ tenant_id: w.tenant.id, type: 'voice', name: 'pbx webhook', team_id: w.tenant.teamId, config: JSON.stringify({ provider: 'webhook' }) })
        .returning('id')
        .executeTakeFirstOrThrow();
      const onPbx = await seedConversation(h.deps.db, w.tenant.id, { channelId: pbx.id, teamId: w.tenant.teamId, assigneeId: w.userId('agent1') });
      const before = await tenantSnapshot(h.deps.db, w.tenant.id);
      for (const c of [onPbx, conv]) {
        const res = await h.app.inject({ method: 'POST', url: `/v1/conversations/${c}/call`, headers: bearer(w.token('agent1')) });
        expect([res.statusCode, res.json().error.code]).toEqual([409, 'channel_cannot_call']);
      }
      expect(await tenantSnapshot(h.deps.db, w.tenant.id)).toEqual(before);
      expect(await h.deps.producer.queue('voice.originate').getJobCounts()).toMatchObject({ waiting: 0 });
    });

    it('refuses to replay a delivery that has not failed with delivery_not_failed', async () => {
      await h.deps.db.updateTable('deliveries').set({ status: 'sent' }).where('id', '=', failed).execute();
      const before = await tenantSnapshot(h.deps.db, w.tenant.id);
      const res = await h.app.inject({ method: 'POST', url: `/v1/deliveries/${failed}/retry`, headers: bearer(w.token('admin')) });
      expect([res.statusCode, res.json().error.code]).toEqual([409, 'delivery_not_failed']);
      expect(await tenantSnapshot(h.deps.db, w.tenant.id)).toEqual(before);
      expect(await h.deps.producer.queue('outbound.api').getJobCounts()).toMatchObject({ waiting: 0 });
    });

    const transitions: Array<[string, string | null, Record<string, unknown>]> = [
      ['skipping verification without a skipReason', 'greeting', { phase: 'identify_need' }],
      ['jumping to closing without a skipReason', 'greeting', { phase: 'closing' }],
      ['going back from solution to greeting', 'solution', { phase: 'greeting' }],
      ['going back from cross_sell to identify_need', 'cross_sell', { phase: 'identify_need', skipReason: 'customer asked again' }],
      ['moving on after documented', 'documented', { phase: 'closing' }],
      ['skipping with a reason of blanks', 'greeting', { phase: 'solution', skipReason: '   ' }],
    ];

    it.each(transitions)('refuses %s with invalid_phase_transition', async (_what, current, payload) => {
      const id = await w.agent1Conversation();
      await h.deps.db.updateTable('conversations').set({ phase: current! }).where('id', '=', id).execute();
      const before = await tenantSnapshot(h.deps.db, w.tenant.id);
      const res = await h.app.inject({ method: 'POST', url: `/v1/conversations/${id}/phase`, payload, headers: bearer(w.token('agent1')) });
      expect([res.statusCode, res.json().error.code]).toEqual([409, 'invalid_phase_transition']);
      expect(res.json().error.details).toEqual({ from: current, to: payload.phase });
      expect(await tenantSnapshot(h.deps.db, w.tenant.id)).toEqual(before);
    });

    it('refuses a transfer to an agent without room with agent_at_capacity', async () => {
      await h.deps.db.updateTable('agents').set({ active_chat: sql`capacity_chat` }).where('user_id', '=', w.userId('agent2')).execute();
      const before = await tenantSnapshot(h.deps.db, w.tenant.id);
      const res = await h.app.inject({ method: 'POST', url: `/v1/conversations/${conv}/transfer`, payload: { agentId: w.userId('agent2') }, headers: bearer(w.token('agent1')) });
      expect([res.statusCode, res.json().error.code]).toEqual([409, 'agent_at_capacity']);
      expect(await tenantSnapshot(h.deps.db, w.tenant.id)).toEqual(before);
    });
  });
});
