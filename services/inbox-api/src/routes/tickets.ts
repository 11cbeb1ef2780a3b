import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { CreateTicketBody, TicketDto, TicketEventPage, TicketListQuery, TicketPage } from '@sapa/contracts';
import { toTicketDto, toTicketEventDto } from '@sapa/db';
import { findPlaybook } from '@sapa/db/queries/playbooks';
import { getTenantSettings } from '@sapa/db/queries/tenant-settings';
import { createTicket, listTicketEvents, listTickets } from '@sapa/db/queries/tickets';
import { visibleConversation } from '../access/visible-conversation.js';
import { requireRole } from '../auth/auth-plugin.js';
import { decodeCursor, toPage } from '../cursor.js';
import { PlaybookNotFound } from '../errors.js';
import { AUTHED, errorResponses } from '../openapi/error-responses.js';
import { OPENERS, ticketScope } from '../tickets/ticket-access.js';
import { changeTicket } from '../tickets/ticket-change.js';
import { localYear, ticketViewer, visibleTicket } from '../tickets/ticket-context.js';
import { mergeFields, refuseBadFields, validateTicketFields } from '../tickets/validate-ticket-fields.js';
import { IdParams, type RouteOptions } from './route-deps.js';

/**
 * Tickets (api-contract.md §Playbooks and tickets): the case an agent cannot solve alone, worked along the playbook
 * version it started on, agent → Tier 2 → related team → Tier 2 → closed. Opening and reading here; the work on a
 * ticket in ticket-work.ts.
 */
export const ticketRoutes: FastifyPluginAsyncTypebox<RouteOptions> = async (app, { deps, now, slaMinuteMs }) => {
  app.addHook('onRequest', app.authenticate);
  const tags = ['tickets'];

  app.post(
    '/v1/tickets',
    {
      onRequest: requireRole(...OPENERS),
      schema: {
        tags,
        summary: 'Open a ticket from a conversation, on the newest version of a playbook',
        description:
          'Agents, team leaders and Tier 2 who can see the conversation (else 404 `conversation_not_found`). The ticket gets the next number of the tenant and year (`YYYY-NNNNNN`) and keeps the playbook version. ' +
          'Fields are checked against the playbook: an unknown field or a wrong type is 400 `validation_failed` with `details.errors[].field`, and nothing is created. ' +
          "The SLA clock starts: `dueAt` from the playbook (on the working hours of the team that does the work where the SLA counts working hours), and the reminders of its ladders whose conditions the fields meet.",
        body: CreateTicketBody,
        response: { 201: TicketDto, ...errorResponses(400, ...AUTHED, 404) },
      },
    },
    async (request, reply) => {
      const { tenantId, userId, roles } = request.principal;
      const { conversationId, playbookKey, fields = {} } = request.body;
      const conversation = await visibleConversation(deps.db, request.principal, conversationId);
      const playbook = await findPlaybook(deps.db, tenantId, playbookKey);
      if (!playbook) throw PlaybookNotFound();
      refuseBadFields(validateTicketFields(playbook, fields));
      const { timeZone } = await getTenantSettings(deps.db, tenantId);
      const { ticket } = await changeTicket(deps, slaMinuteMs, async (trx) => {
        const created = await createTicket(trx, tenantId, {
          conversationId,
          contactId: conversation.contact_id,
          playbookKey,
          playbookVersion: playbook.version,
          fields: mergeFields({}, fields),
          createdBy: userId,
          actorRoles: [...roles],
          year: localYear(now(), timeZone),
        });
        return { ticket: created, change: { kind: 'created' }, replan: true };
      });
      request.log.info({ tenantId, ticketId: ticket.id, conversationId, playbookKey, playbookVersion: playbook.version }, 'ticket created');
      return reply.code(201).send(toTicketDto(ticket, now()));
    },
  );

  app.get(
    '/v1/tickets',
    {
      schema: {
        tags,
        summary: 'The tickets the caller sees, newest first',
        description:
          'Admins, QC and team leaders see all; others the ones they created and the ones their teams hold; Tier 2 every ticket that left the agent. ' +
          '`breached=true`: only tickets past their due time (a breach recorded, or due passed while open and not waiting on the customer).',
        querystring: TicketListQuery,
        response: { 200: TicketPage, ...errorResponses(400, ...AUTHED) },
      },
    },
    async (request) => {
      const { status, team, breached, cursor, limit = 50 } = request.query;
      const viewer = await ticketViewer(deps.db, request.principal);
      const afterId = decodeCursor(cursor);
      const rows = await listTickets(deps.db, viewer.tenantId, { scope: ticketScope(viewer), status, team, limit, ...(breached ? { breached: breached === 'true' } : {}), ...(afterId ? { afterId } : {}) });
      const page = toPage(rows, limit);
      return { items: page.rows.map((t) => toTicketDto(t, now())), nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/v1/tickets/:id',
    {
      schema: {
        tags,
        summary: 'One ticket',
        description: 'A ticket the caller may not see, or of another tenant, is 404 `ticket_not_found`.',
        params: IdParams,
        response: { 200: TicketDto, ...errorResponses(400, ...AUTHED, 404) },
      },
    },
    async (request) => toTicketDto(await visibleTicket(deps.db, await ticketViewer(deps.db, request.principal), request.params.id), now()),
  );

  app.get(
    '/v1/tickets/:id/events',
    {
      schema: {
        tags,
        summary: "A ticket's record, oldest first",
        description:
          'Every hop (who, from, to, why, the due time then), note, verification, field change (names only), exception, approval, pause, reminder and breach. Append-only; quality control reads it like everyone who sees the ticket.',
        params: IdParams,
        response: { 200: TicketEventPage, ...errorResponses(400, ...AUTHED, 404) },
      },
    },
    async (request) => {
      const viewer = await ticketViewer(deps.db, request.principal);
      const ticket = await visibleTicket(deps.db, viewer, request.params.id);
      return { items: (await listTicketEvents(deps.db, viewer.tenantId, ticket.id)).map(toTicketEventDto) };
    },
  );
};
