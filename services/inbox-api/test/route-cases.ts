import { demoPlaybookJson } from './demo-playbooks.js';
import { multipartText } from './multipart.js';
import type { World, UserName } from './world.js';

export interface RouteRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: string;
  /** JSON, or a text body (an .ics file) with its content type in `headers`. */
  payload?: Record<string, unknown> | string;
  headers?: Record<string, string>;
}

/** A small real-world calendar body for the import route's guard rows. */
const ONE_DAY_ICS = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Sapa tests//EN', 'BEGIN:VEVENT', 'UID:guard-1@sapa.test', 'DTSTAMP:20260101T000000Z', 'DTSTART;VALUE=DATE:20261225', 'SUMMARY:Hari Raya Natal', 'END:VEVENT', 'END:VCALENDAR', ''].join('\r\n');

export interface RouteCase {
  route: string;
  /** Builds the request on fresh rows of the world. */
  request: (w: World) => Promise<RouteRequest>;
  /** The status each default user gets. */
  expected: Record<UserName, number>;
  /** The code of its 404s (default `conversation_not_found`). */
  notFound?: string;
}

const all = (status: number): Record<UserName, number> => ({ admin: status, lead: status, agent1: status, agent2: status, qc: status, tier2: status });
const only = (status: number, allowed: UserName[], otherwise = 403): Record<UserName, number> => {
  const out = all(otherwise);
  for (const u of allowed) out[u] = status;
  return out;
};
/** A conversation assigned to agent1 in team cs: agent2 and tier2 cannot see it (404), QC sees but may not act (403). */
const onAgent1Conversation = (ok: number, okFor: UserName[]): Record<UserName, number> => ({
  ...only(ok, okFor),
  agent2: 404,
  tier2: 404,
});

/** An open ticket agent1 opened: agent2 and Tier 2 do not see it (404), QC and admins see it but change nothing (403). */
const onOpenTicket = (ok: number, okFor: UserName[]): Record<UserName, number> => ({
  ...only(ok, okFor),
  agent2: 404,
  tier2: 404,
});

/** Every authenticated route of the inbox API, and what each role gets (api-contract.md sections Auth … Live events). */
export const ROUTE_CASES: RouteCase[] = [
  { route: 'GET /v1/auth/me', request: async () => ({ method: 'GET', url: '/v1/auth/me' }), expected: all(200) },
  {
    route: 'POST /v1/api-tokens',
    request: async () => ({ method: 'POST', url: '/v1/api-tokens', payload: { name: 'crm sync', roles: ['agent'] } }),
    expected: only(201, ['admin']),
  },
  {
    route: 'POST /v1/channels',
    request: async () => ({ method: 'POST', url: '/v1/channels', payload: { type: 'api', name: 'CRM', config: { callbackUrl: 'https://crm.example/hook' } } }),
    expected: only(201, ['admin']),
  },
  { route: 'GET /v1/channels', request: async () => ({ method: 'GET', url: '/v1/channels' }), expected: only(200, ['admin']) },
  {
    // The world's channel is an api one: an admin is told it has no pairing; whatsapp-pairing.test.ts covers the rest.
    route: 'GET /v1/channels/{id}/pairing',
    request: async (w) => ({ method: 'GET', url: `/v1/channels/${w.channelId}/pairing` }),
    expected: only(409, ['admin']),
    notFound: 'channel_not_found',
  },
  {
    route: 'POST /v1/channels/{id}/pairing',
    request: async (w) => ({ method: 'POST', url: `/v1/channels/${w.channelId}/pairing` }),
    expected: only(409, ['admin']),
    notFound: 'channel_not_found',
  },
  {
    route: 'DELETE /v1/channels/{id}/pairing',
    request: async (w) => ({ method: 'DELETE', url: `/v1/channels/${w.channelId}/pairing` }),
    expected: only(409, ['admin']),
    notFound: 'channel_not_found',
  },
  {
    route: 'PUT /v1/agents/me/presence',
    request: async () => ({ method: 'PUT', url: '/v1/agents/me/presence', payload: { status: 'away' } }),
    // Admin and QC have no agent profile: 403 not_an_agent.
    expected: only(200, ['lead', 'agent1', 'agent2', 'tier2']),
  },
  { route: 'GET /v1/agents', request: async () => ({ method: 'GET', url: '/v1/agents' }), expected: only(200, ['admin', 'lead', 'qc']) },
  {
    route: 'PUT /v1/agents/{id}',
    // agent1 is in cs, which lead leads; the change is the same every time, so the rows do not disturb each other.
    request: async (w) => ({ method: 'PUT', url: `/v1/agents/${w.userId('agent1')}`, payload: { skills: [{ key: 'billing', level: 3 }], languages: ['id'] } }),
    expected: only(200, ['admin', 'lead']),
    notFound: 'agent_not_found',
  },
  // Everyone who works or watches a queue: admins and QC all teams, leaders theirs, agents and Tier 2 their own.
  { route: 'GET /v1/queues', request: async () => ({ method: 'GET', url: '/v1/queues' }), expected: all(200) },
  { route: 'GET /v1/routing/rules', request: async () => ({ method: 'GET', url: '/v1/routing/rules' }), expected: only(200, ['admin', 'lead', 'qc']) },
  {
    route: 'PUT /v1/routing/rules',
    request: async (w) => ({
      method: 'PUT',
      url: '/v1/routing/rules',
      payload: { items: [{ key: 'fraud', when: { keywords: ['penipuan'] }, then: { teamId: w.tenant.teams.tier2!, priority: 20 } }] },
    }),
    expected: only(200, ['admin']),
  },
  { route: 'GET /v1/conversations', request: async () => ({ method: 'GET', url: '/v1/conversations' }), expected: all(200) },
  {
    route: 'GET /v1/conversations/{id}',
    request: async (w) => ({ method: 'GET', url: `/v1/conversations/${await w.agent1Conversation()}` }),
    expected: onAgent1Conversation(200, ['admin', 'lead', 'agent1', 'qc']),
  },
  {
    route: 'GET /v1/conversations/{id}/messages',
    request: async (w) => ({ method: 'GET', url: `/v1/conversations/${await w.agent1Conversation()}/messages` }),
    expected: onAgent1Conversation(200, ['admin', 'lead', 'agent1', 'qc']),
  },
  {
    route: 'POST /v1/conversations/{id}/messages',
    request: async (w) => ({ method: 'POST', url: `/v1/conversations/${await w.agent1Conversation()}/messages`, payload: { text: 'Selamat siang' } }),
    expected: onAgent1Conversation(201, ['lead', 'agent1']),
  },
  {
    route: 'POST /v1/conversations/{id}/typing',
    request: async (w) => ({ method: 'POST', url: `/v1/conversations/${await w.agent1Conversation()}/typing`, payload: { typing: true } }),
    expected: onAgent1Conversation(202, ['lead', 'agent1']),
  },
  // Anyone who works conversations may upload a file to send; the file belongs to the tenant.
  { route: 'POST /v1/attachments', request: async () => ({ method: 'POST', url: '/v1/attachments', ...multipartText('Halo') }), expected: all(201) },
  {
    route: 'POST /v1/conversations/{id}/transfer',
    request: async (w) => ({
      method: 'POST',
      url: `/v1/conversations/${await w.agent1Conversation()}/transfer`,
      payload: { teamId: w.tenant.teams.tier2!, note: 'needs tier 2' },
    }),
    expected: onAgent1Conversation(200, ['admin', 'lead', 'agent1']),
  },
  {
    route: 'POST /v1/conversations/{id}/close',
    request: async (w) => ({ method: 'POST', url: `/v1/conversations/${await w.agent1Conversation()}/close`, payload: { reason: 'resolved' } }),
    expected: onAgent1Conversation(200, ['admin', 'lead', 'agent1']),
  },
  {
    route: 'POST /v1/conversations/{id}/hold',
    request: async (w) => ({ method: 'POST', url: `/v1/conversations/${await w.agent1Conversation()}/hold` }),
    expected: onAgent1Conversation(200, ['lead', 'agent1']),
  },
  {
    route: 'POST /v1/conversations/{id}/resume',
    request: async (w) => ({ method: 'POST', url: `/v1/conversations/${await w.agent1Conversation()}/resume` }),
    expected: onAgent1Conversation(200, ['lead', 'agent1']),
  },
  {
    route: 'POST /v1/conversations/{id}/phase',
    request: async (w) => ({ method: 'POST', url: `/v1/conversations/${await w.agent1Conversation()}/phase`, payload: { phase: 'verification' } }),
    // Handling the customer is the agent's (and their leader's) work: admins and QC do not move phases.
    expected: onAgent1Conversation(200, ['lead', 'agent1']),
  },
  {
    route: 'GET /v1/conversations/{id}/phases',
    request: async (w) => ({ method: 'GET', url: `/v1/conversations/${await w.agent1Conversation()}/phases` }),
    expected: onAgent1Conversation(200, ['admin', 'lead', 'agent1', 'qc']),
  },
  {
    route: 'GET /v1/conversations/{id}/calls',
    request: async (w) => ({ method: 'GET', url: `/v1/conversations/${await w.agent1Conversation()}/calls` }),
    expected: onAgent1Conversation(200, ['admin', 'lead', 'agent1', 'qc']),
  },
  {
    route: 'POST /v1/conversations/{id}/call',
    request: async (w) => ({ method: 'POST', url: `/v1/conversations/${await w.agent1Conversation()}/call` }),
    // Only the agent holding it calls from it: on the world's api channel agent1 is refused the call itself (409
    // channel_cannot_call); services/inbox-api/test/calls.test.ts walks the voice conversations.
    expected: onAgent1Conversation(409, ['agent1']),
  },
  {
    route: 'GET /v1/conversations/{id}/suggestions',
    request: async (w) => ({ method: 'GET', url: `/v1/conversations/${await w.agent1Conversation()}/suggestions` }),
    expected: onAgent1Conversation(200, ['admin', 'lead', 'agent1', 'qc']),
  },
  { route: 'GET /v1/tenant/settings', request: async () => ({ method: 'GET', url: '/v1/tenant/settings' }), expected: only(200, ['admin', 'lead', 'qc']) },
  {
    route: 'PATCH /v1/tenant/settings',
    request: async () => ({ method: 'PATCH', url: '/v1/tenant/settings', payload: { brand: 'Toko Sapa' } }),
    expected: only(200, ['admin']),
  },
  { route: 'GET /v1/tenant/holidays', request: async () => ({ method: 'GET', url: '/v1/tenant/holidays' }), expected: all(200) },
  {
    route: 'PUT /v1/tenant/holidays',
    request: async () => ({ method: 'PUT', url: '/v1/tenant/holidays', payload: { items: [{ date: '2026-08-17', name: 'Hari Kemerdekaan', kind: 'national' }] } }),
    expected: only(200, ['admin']),
  },
  {
    route: 'POST /v1/tenant/holidays/import',
    request: async () => ({ method: 'POST', url: '/v1/tenant/holidays/import', payload: ONE_DAY_ICS, headers: { 'content-type': 'text/calendar' } }),
    expected: only(200, ['admin']),
  },
  { route: 'GET /v1/deliveries', request: async () => ({ method: 'GET', url: '/v1/deliveries?status=failed' }), expected: only(200, ['admin']) },
  { route: 'GET /v1/quarantine', request: async () => ({ method: 'GET', url: '/v1/quarantine?state=all' }), expected: only(200, ['admin']) },
  {
    route: 'GET /v1/quarantine/{id}/payload',
    request: async (w) => ({ method: 'GET', url: `/v1/quarantine/${await w.quarantined()}/payload` }),
    expected: only(200, ['admin']),
    notFound: 'quarantined_not_found',
  },
  {
    route: 'POST /v1/quarantine/{id}/resolve',
    request: async (w) => ({ method: 'POST', url: `/v1/quarantine/${await w.quarantined()}/resolve` }),
    expected: only(200, ['admin']),
    notFound: 'quarantined_not_found',
  },
  {
    route: 'POST /v1/deliveries/{id}/retry',
    request: async (w) => ({ method: 'POST', url: `/v1/deliveries/${await w.failedDelivery()}/retry` }),
    expected: only(202, ['admin']),
  },
  { route: 'GET /v1/playbooks', request: async () => ({ method: 'GET', url: '/v1/playbooks' }), expected: all(200) },
  { route: 'GET /v1/playbooks/{key}', request: async (w) => ({ method: 'GET', url: `/v1/playbooks/${await w.withdrawalPlaybook()}` }), expected: all(200) },
  {
    route: 'PUT /v1/playbooks',
    // A playbook of the demo file that dispatches to no team beyond the test tenant's cs and tier2.
    request: async () => ({ method: 'PUT', url: '/v1/playbooks', payload: { items: demoPlaybookJson().items.filter((p) => p.key === 'fraud.triangle_scam') } }),
    expected: only(200, ['admin']),
  },
  { route: 'GET /v1/contacts/{id}', request: async (w) => ({ method: 'GET', url: `/v1/contacts/${await w.agent1Contact()}` }), expected: all(200) },
  {
    route: 'PATCH /v1/contacts/{id}',
    request: async (w) => ({ method: 'PATCH', url: `/v1/contacts/${await w.agent1Contact()}`, payload: { attributes: { agentId: 'AG-1001' } } }),
    // Whoever handles customers may correct a profile; QC changes nothing.
    expected: only(200, ['admin', 'lead', 'agent1', 'agent2', 'tier2']),
  },
  {
    route: 'POST /v1/tickets',
    request: async (w) => ({ method: 'POST', url: '/v1/tickets', payload: { conversationId: await w.agent1Conversation(), playbookKey: await w.withdrawalPlaybook() } }),
    // Agents, team leaders and Tier 2 open tickets on conversations they see; admins and QC do not.
    expected: onAgent1Conversation(201, ['lead', 'agent1']),
  },
  { route: 'GET /v1/tickets', request: async () => ({ method: 'GET', url: '/v1/tickets?status=open' }), expected: all(200) },
  {
    route: 'GET /v1/tickets/{id}',
    request: async (w) => ({ method: 'GET', url: `/v1/tickets/${await w.openTicket()}` }),
    // An open ticket is agent1's until dispatched: agent2 and Tier 2 do not see it yet.
    expected: onOpenTicket(200, ['admin', 'lead', 'agent1', 'qc']),
    notFound: 'ticket_not_found',
  },
  {
    route: 'POST /v1/tickets/{id}/verification',
    request: async (w) => ({ method: 'POST', url: `/v1/tickets/${await w.openTicket()}/verification`, payload: { checked: ['full_name'] } }),
    expected: onOpenTicket(200, ['lead', 'agent1']),
    notFound: 'ticket_not_found',
  },
  {
    route: 'PATCH /v1/tickets/{id}',
    request: async (w) => ({ method: 'PATCH', url: `/v1/tickets/${await w.openTicket()}`, payload: { fields: { bank_name: 'BCA' } } }),
    expected: onOpenTicket(200, ['lead', 'agent1']),
    notFound: 'ticket_not_found',
  },
  {
    route: 'POST /v1/tickets/{id}/notes',
    request: async (w) => ({ method: 'POST', url: `/v1/tickets/${await w.openTicket()}/notes`, payload: { text: 'Nasabah akan kirim bukti transfer' } }),
    expected: onOpenTicket(201, ['lead', 'agent1']),
    notFound: 'ticket_not_found',
  },
  {
    route: 'POST /v1/tickets/{id}/exceptions',
    request: async (w) => ({ method: 'POST', url: `/v1/tickets/${await w.openTicket()}/exceptions`, payload: { gate: 'withdrawal_verification', reason: 'Disetujui manajemen' } }),
    expected: only(201, ['lead']),
  },
  {
    route: 'GET /v1/tickets/{id}/events',
    request: async (w) => ({ method: 'GET', url: `/v1/tickets/${await w.openTicket()}/events` }),
    expected: onOpenTicket(200, ['admin', 'lead', 'agent1', 'qc']),
    notFound: 'ticket_not_found',
  },
  {
    route: 'POST /v1/tickets/{id}/approvals',
    request: async (w) => ({ method: 'POST', url: `/v1/tickets/${await w.openTicket('bon.credit_request')}/approvals`, payload: { gate: 'supervisor_approval', note: 'Disetujui atasan' } }),
    // The bon gate names team leaders (and the supervisor team): agent1 holds the ticket but does not approve it.
    expected: { ...onOpenTicket(201, ['lead']), agent1: 403 },
    notFound: 'ticket_not_found',
  },
  {
    route: 'POST /v1/tickets/{id}/waiting-on-customer',
    request: async (w) => ({ method: 'POST', url: `/v1/tickets/${await w.openTicket()}/waiting-on-customer`, payload: { reason: 'Menunggu foto buku tabungan' } }),
    expected: onOpenTicket(200, ['lead', 'agent1']),
    notFound: 'ticket_not_found',
  },
  {
    route: 'POST /v1/tickets/{id}/resume',
    request: async (w) => ({ method: 'POST', url: `/v1/tickets/${await w.openTicket()}/resume` }),
    expected: onOpenTicket(200, ['lead', 'agent1']),
    notFound: 'ticket_not_found',
  },
  {
    route: 'POST /v1/tickets/{id}/dispatch',
    request: async (w) => ({ method: 'POST', url: `/v1/tickets/${await w.readyTicket()}/dispatch`, payload: { team: 'tier2', note: 'Penarikan saldo' } }),
    expected: onOpenTicket(200, ['lead', 'agent1']),
    notFound: 'ticket_not_found',
  },
  {
    route: 'POST /v1/tickets/{id}/close',
    request: async (w) => ({ method: 'POST', url: `/v1/tickets/${await w.tier2Ticket()}/close`, payload: { resolution: 'Dana sudah ditransfer' } }),
    // Tier 2 informs the customer and closes.
    expected: only(200, ['tier2']),
  },
  { route: 'GET /v1/teams', request: async () => ({ method: 'GET', url: '/v1/teams' }), expected: all(200) },
  {
    route: 'PATCH /v1/teams/{id}',
    request: async (w) => ({ method: 'PATCH', url: `/v1/teams/${w.tenant.teamId}`, payload: { businessHours: { mon: [{ from: '08:00', to: '17:00' }] } } }),
    expected: only(200, ['admin']),
    notFound: 'team_not_found',
  },
  {
    route: 'POST /v1/conversations/{id}/qc-scores',
    request: async (w) => ({
      method: 'POST',
      url: `/v1/conversations/${await w.agent1Conversation()}/qc-scores`,
      payload: { criteria: { greeting: 90, verification: 80, solution: 70, cross_sell: 60, closing: 100 }, note: 'Salam kurang lengkap' },
    }),
    // Scoring is QC's alone, admins included: the role is checked before the conversation, so every other role is 403.
    expected: only(201, ['qc']),
  },
  { route: 'GET /v1/qc-scores', request: async () => ({ method: 'GET', url: '/v1/qc-scores' }), expected: only(200, ['admin', 'lead', 'qc']) },
  {
    route: 'GET /v1/reports/service-level',
    request: async () => ({ method: 'GET', url: '/v1/reports/service-level?from=2026-03-01T00:00:00Z&to=2026-03-02T00:00:00Z' }),
    expected: only(200, ['admin', 'lead', 'qc']),
  },
  // A plain GET (no upgrade) of the stream: authenticated users learn it needs a WebSocket.
  { route: 'GET /v1/stream', request: async () => ({ method: 'GET', url: '/v1/stream' }), expected: all(426) },
];
