import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  CloseTicketBody,
  CreateTicketBody,
  DispatchTicketBody,
  TicketDto,
  TicketEventDto,
  TicketExceptionBody,
  TicketListQuery,
  TicketNoteBody,
  TicketPage,
  TicketPatchBody,
  VerificationBody,
} from '@sapa/contracts';
import type { Db } from '@sapa/db/queries/db-handle';
import { findPlaybook } from '@sapa/db/queries/playbooks';
import { getTenantSettings } from '@sapa/db/queries/tenant-settings';
import { addTicketEvent, createTicket, listTickets, updateTicket, type Ticket } from '@sapa/db/queries/tickets';
import { Forbidden } from '@sapa/service-kit';
import { visibleConversation } from '../access/visible-conversation.js';
import { requireRole } from '../auth/auth-plugin.js';
import { decodeCursor, toPage } from '../cursor.js';
import { PlaybookNotFound, TicketClosed, ValidationFailed } from '../errors.js';
import { AUTHED, errorResponses } from '../openapi/error-responses.js';
import { closeTicket } from '../tickets/close-ticket.js';
import { dispatchTicket } from '../tickets/dispatch-ticket.js';
import { canWorkTicket, ticketScope, type TicketViewer } from '../tickets/ticket-access.js';
import { localYear, playbookOf, ticketViewer, visibleTicket } from '../tickets/ticket-context.js';
import { toTicketDto, toTicketEventDto } from '../tickets/ticket-dto.js';
import { mergeFields, validateTicketFields, type FieldError } from '../tickets/validate-ticket-fields.js';
import { IdParams, type RouteOptions } from './route-deps.js';

/** Who opens tickets from a conversation (customer-handling.md §Roles). */
const OPENERS = ['agent', 'team_leader', 'tier2'];
/** Who works tickets; QC reads everything and changes nothing, admins configure. */
const WORKERS = ['agent', 'team_leader', 'tier2', 'related_team'];

/**
 * Tickets (api-contract.md §Playbooks and tickets): the case an agent cannot solve alone, worked along the playbook
 * version it started on, agent → Tier 2 → related team → Tier 2 → closed. Every change is an append-only event.
 */
export const ticketRoutes: FastifyPluginAsyncTypebox<RouteOptions> = async (app, { deps, now }) => {
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
          'Fields are checked against the playbook: an unknown field or a wrong type is 400 `validation_failed` with `details.errors[].field`, and nothing is created.',
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
      const ticket = await createTicket(deps.db, tenantId, {
        conversationId,
        contactId: conversation.contact_id,
        playbookKey,
        playbookVersion: playbook.version,
        fields: mergeFields({}, fields),
        createdBy: userId,
        actorRoles: [...roles],
        year: localYear(now(), timeZone),
      });
      request.log.info({ tenantId, ticketId: ticket.id, conversationId, playbookKey, playbookVersion: playbook.version }, 'ticket created');
      return reply.code(201).send(toTicketDto(ticket));
    },
  );

  app.get(
    '/v1/tickets',
    {
      schema: {
        tags,
        summary: 'The tickets the caller sees, newest first',
        description: 'Admins, QC and team leaders see all; others the ones they created and the ones their teams hold; Tier 2 every ticket that left the agent.',
        querystring: TicketListQuery,
        response: { 200: TicketPage, ...errorResponses(400, ...AUTHED) },
      },
    },
    async (request) => {
      const { status, team, cursor, limit = 50 } = request.query;
      const viewer = await ticketViewer(deps.db, request.principal);
      const afterId = decodeCursor(cursor);
      const rows = await listTickets(deps.db, viewer.tenantId, { scope: ticketScope(viewer), status, team, limit, ...(afterId ? { afterId } : {}) });
      const page = toPage(rows, limit);
      return { items: page.rows.map(toTicketDto), nextCursor: page.nextCursor };
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
    async (request) => toTicketDto(await visibleTicket(deps.db, await ticketViewer(deps.db, request.principal), request.params.id)),
  );

  app.post(
    '/v1/tickets/:id/verification',
    {
      onRequest: requireRole(...WORKERS),
      schema: {
        tags,
        summary: 'Record verification items the customer answered correctly',
        description: "Adds to the checked set (repeats are no-ops). An item the ticket's playbook version does not have is 400 `validation_failed`. Whoever holds the ticket, or a team leader.",
        params: IdParams,
        body: VerificationBody,
        response: { 200: TicketDto, ...errorResponses(400, ...AUTHED, 404, 409) },
      },
    },
    async (request) => {
      const viewer = await ticketViewer(deps.db, request.principal);
      const ticket = await deps.db.transaction().execute(async (trx) => {
        const current = await workableTicket(trx, viewer, request.params.id);
        const items = (await playbookOf(trx, current)).verification?.items.map((i) => i.key) ?? [];
        const unknown = request.body.checked.filter((k) => !items.includes(k));
        if (unknown.length > 0) {
          throw ValidationFailed(`not verification items of ${current.playbook_key}: ${unknown.join(', ')}`, {
            errors: unknown.map((k) => ({ path: 'checked', item: k, message: 'is not a verification item of the playbook' })),
          });
        }
        const added = request.body.checked.filter((k, i, all) => !current.checked.includes(k) && all.indexOf(k) === i);
        if (added.length === 0) return current;
        const updated = await updateTicket(trx, viewer.tenantId, current.id, { checked: [...current.checked, ...added] });
        await addTicketEvent(trx, viewer.tenantId, current.id, { kind: 'verification', actorId: viewer.userId, actorRoles: [...viewer.roles], details: { added } });
        return updated;
      });
      request.log.info({ tenantId: viewer.tenantId, ticketId: ticket.id, checked: ticket.checked.length }, 'ticket verification recorded');
      return toTicketDto(ticket);
    },
  );

  app.patch(
    '/v1/tickets/:id',
    {
      onRequest: requireRole(...WORKERS),
      schema: {
        tags,
        summary: "Fill in or correct a ticket's fields",
        description: 'Merged over the stored fields (`null` clears one), checked against the playbook version of the ticket: 400 `validation_failed` naming each bad field, nothing changed.',
        params: IdParams,
        body: TicketPatchBody,
        response: { 200: TicketDto, ...errorResponses(400, ...AUTHED, 404, 409) },
      },
    },
    async (request) => {
      const viewer = await ticketViewer(deps.db, request.principal);
      const ticket = await deps.db.transaction().execute(async (trx) => {
        const current = await workableTicket(trx, viewer, request.params.id);
        refuseBadFields(validateTicketFields(await playbookOf(trx, current), request.body.fields));
        const updated = await updateTicket(trx, viewer.tenantId, current.id, { fields: mergeFields(current.fields ?? {}, request.body.fields) });
        // Field names only: values may be account numbers and names (sensitive fields).
        await addTicketEvent(trx, viewer.tenantId, current.id, { kind: 'fields', actorId: viewer.userId, actorRoles: [...viewer.roles], details: { changed: Object.keys(request.body.fields) } });
        return updated;
      });
      request.log.info({ tenantId: viewer.tenantId, ticketId: ticket.id, changedKeys: Object.keys(request.body.fields) }, 'ticket fields changed');
      return toTicketDto(ticket);
    },
  );

  app.post(
    '/v1/tickets/:id/notes',
    {
      onRequest: requireRole(...WORKERS),
      schema: {
        tags,
        summary: 'Add a note (memo) to a ticket',
        description: 'Append-only: no route edits or deletes a note. Anyone who works tickets and sees this one; a closed ticket is 409 `ticket_closed`.',
        params: IdParams,
        body: TicketNoteBody,
        response: { 201: TicketEventDto, ...errorResponses(400, ...AUTHED, 404, 409) },
      },
    },
    async (request, reply) => {
      const viewer = await ticketViewer(deps.db, request.principal);
      const text = request.body.text;
      if (text.trim() === '') throw ValidationFailed('a note must say something', { errors: [{ path: 'text', message: 'must not be blank' }] });
      const event = await deps.db.transaction().execute(async (trx) => {
        const ticket = await visibleTicket(trx, viewer, request.params.id, { forUpdate: true });
        if (ticket.status === 'closed') throw TicketClosed();
        return addTicketEvent(trx, viewer.tenantId, ticket.id, { kind: 'note', actorId: viewer.userId, actorRoles: [...viewer.roles], fromTeam: ticket.team, text });
      });
      request.log.info({ tenantId: viewer.tenantId, ticketId: event.ticket_id, eventId: event.id }, 'ticket note added');
      return reply.code(201).send(toTicketEventDto(event));
    },
  );

  app.post(
    '/v1/tickets/:id/exceptions',
    {
      onRequest: requireRole('team_leader'),
      schema: {
        tags,
        summary: "Record a team leader's exception to a gate, with the reason",
        description:
          "Team leaders only. Waives the checks of the gate that a team leader may waive (the withdrawal's holder-name match), never a strict verification. A gate the ticket's playbook does not have is 400 `validation_failed`.",
        params: IdParams,
        body: TicketExceptionBody,
        response: { 201: TicketEventDto, ...errorResponses(400, ...AUTHED, 404, 409) },
      },
    },
    async (request, reply) => {
      const viewer = await ticketViewer(deps.db, request.principal);
      const { gate, reason } = request.body;
      if (reason.trim() === '') throw ValidationFailed('an exception needs its reason', { errors: [{ path: 'reason', message: 'must not be blank' }] });
      const event = await deps.db.transaction().execute(async (trx) => {
        const ticket = await visibleTicket(trx, viewer, request.params.id, { forUpdate: true });
        if (ticket.status === 'closed') throw TicketClosed();
        const gates = (await playbookOf(trx, ticket)).gates.map((g) => g.key);
        if (!gates.includes(gate)) throw ValidationFailed(`${ticket.playbook_key} has no gate ${gate}`, { errors: [{ path: 'gate', message: `must be one of: ${gates.join(', ')}` }] });
        return addTicketEvent(trx, viewer.tenantId, ticket.id, { kind: 'exception', actorId: viewer.userId, actorRoles: [...viewer.roles], gate, text: reason });
      });
      request.log.info({ tenantId: viewer.tenantId, ticketId: event.ticket_id, gate }, 'ticket gate exception recorded');
      return reply.code(201).send(toTicketEventDto(event));
    },
  );

  app.post(
    '/v1/tickets/:id/dispatch',
    {
      onRequest: requireRole(...WORKERS),
      schema: {
        tags,
        summary: 'Hand the ticket to another team',
        description:
          'Hops: the agent who opened it (or a team leader) → `tier2`; `tier2` → a related team; a member of that related team → back to `tier2`. Any other hop is 403 `hop_not_allowed`. ' +
          "The dispatch gates of the ticket's playbook version, then its required fields, are checked server-side: 409 `gate_not_met` with `details: {gate, missing}`. Nothing changes on a refusal.",
        params: IdParams,
        body: DispatchTicketBody,
        response: { 200: TicketDto, ...errorResponses(400, ...AUTHED, 404, 409) },
      },
    },
    async (request) => {
      const viewer = await ticketViewer(deps.db, request.principal);
      const ticket = await dispatchTicket(deps, viewer, request.params.id, request.body.team, request.body.note, now());
      request.log.info({ tenantId: viewer.tenantId, ticketId: ticket.id, team: ticket.team }, 'ticket dispatched');
      return toTicketDto(ticket);
    },
  );

  app.post(
    '/v1/tickets/:id/close',
    {
      onRequest: requireRole('tier2'),
      schema: {
        tags,
        summary: 'Close a ticket with its resolution',
        description: 'Tier 2 closes a ticket it holds (one with a related team comes back first: 403 `hop_not_allowed`); the resolution is the closing note and must not be blank.',
        params: IdParams,
        body: CloseTicketBody,
        response: { 200: TicketDto, ...errorResponses(400, ...AUTHED, 404, 409) },
      },
    },
    async (request) => {
      const viewer = await ticketViewer(deps.db, request.principal);
      const ticket = await closeTicket(deps, viewer, request.params.id, request.body.resolution, now());
      request.log.info({ tenantId: viewer.tenantId, ticketId: ticket.id }, 'ticket closed');
      return toTicketDto(ticket);
    },
  );
};

/** A ticket the caller sees and may work on now, locked for the change; a closed one is 409. */
async function workableTicket(db: Db, viewer: TicketViewer, id: string): Promise<Ticket> {
  const ticket = await visibleTicket(db, viewer, id, { forUpdate: true });
  if (!canWorkTicket(viewer, { createdBy: ticket.created_by, team: ticket.team })) throw Forbidden('only whoever holds the ticket, or a team leader, changes it');
  if (ticket.status === 'closed') throw TicketClosed();
  return ticket;
}

function refuseBadFields(errors: FieldError[]): void {
  if (errors.length > 0) throw ValidationFailed(`invalid fields: ${errors.map((e) => `${e.path} ${e.message}`).join('; ')}`, { errors });
}
