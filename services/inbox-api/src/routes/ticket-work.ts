import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  CloseTicketBody,
  DispatchTicketBody,
  TicketApprovalBody,
  TicketDto,
  TicketEventDto,
  TicketExceptionBody,
  TicketNoteBody,
  TicketPatchBody,
  TicketWaitBody,
  VerificationBody,
} from '@sapa/contracts';
import { toTicketDto, toTicketEventDto } from '@sapa/db';
import type { Db } from '@sapa/db/queries/db-handle';
import { addTicketEvent, updateTicket, type Ticket, type TicketEvent } from '@sapa/db/queries/tickets';
import { conditionsHold, pauseLength } from '@sapa/handling';
import { Forbidden } from '@sapa/service-kit';
import { requireRole } from '../auth/auth-plugin.js';
import { GateNeedsNoApproval, NotAnApprover, TicketClosed, ValidationFailed } from '../errors.js';
import { AUTHED, errorResponses } from '../openapi/error-responses.js';
import { approverFor } from '../tickets/approve-ticket.js';
import { closeTicket } from '../tickets/close-ticket.js';
import { dispatchTicket } from '../tickets/dispatch-ticket.js';
import { slaCalendarOf } from '../tickets/sla-clock.js';
import { canWorkTicket, WORKERS, type TicketViewer } from '../tickets/ticket-access.js';
import { changeTicket } from '../tickets/ticket-change.js';
import { playbookOf, ticketViewer, visibleTicket } from '../tickets/ticket-context.js';
import { mergeFields, refuseBadFields, validateTicketFields } from '../tickets/validate-ticket-fields.js';
import { IdParams, type RouteOptions } from './route-deps.js';

/**
 * The work on a ticket (api-contract.md §Playbooks and tickets; customer-handling.md §Tickets and dispatch):
 * verification, fields and outcome, notes, exceptions and approvals of gates, waiting on the customer, hops, closing.
 * Each is one transaction (changeTicket) that appends to the ticket's record, re-plans the SLA clock when it
 * depends on the change, and tells the live stream.
 */
export const ticketWorkRoutes: FastifyPluginAsyncTypebox<RouteOptions> = async (app, { deps, now, slaMinuteMs }) => {
  app.addHook('onRequest', app.authenticate);
  const tags = ['tickets'];

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
      const { ticket } = await changeTicket(deps, slaMinuteMs, async (trx) => {
        const current = await workableTicket(trx, viewer, request.params.id);
        const items = (await playbookOf(trx, current)).verification?.items.map((i) => i.key) ?? [];
        const unknown = request.body.checked.filter((k) => !items.includes(k));
        if (unknown.length > 0) {
          throw ValidationFailed(`not verification items of ${current.playbook_key}: ${unknown.join(', ')}`, {
            errors: unknown.map((k) => ({ path: 'checked', item: k, message: 'is not a verification item of the playbook' })),
          });
        }
        const added = request.body.checked.filter((k, i, all) => !current.checked.includes(k) && all.indexOf(k) === i);
        if (added.length === 0) return { ticket: current, change: { kind: 'verification', added }, replan: false };
        const updated = await updateTicket(trx, viewer.tenantId, current.id, { checked: [...current.checked, ...added] });
        await addTicketEvent(trx, viewer.tenantId, current.id, { kind: 'verification', actorId: viewer.userId, actorRoles: [...viewer.roles], details: { added } });
        return { ticket: updated, change: { kind: 'verification', added }, replan: false };
      });
      request.log.info({ tenantId: viewer.tenantId, ticketId: ticket.id, checked: ticket.checked.length }, 'ticket verification recorded');
      return toTicketDto(ticket, now());
    },
  );

  app.patch(
    '/v1/tickets/:id',
    {
      onRequest: requireRole(...WORKERS),
      schema: {
        tags,
        summary: "Fill in or correct a ticket's fields, or choose its outcome",
        description:
          'Fields are merged over the stored ones (`null` clears one) and checked against the playbook version of the ticket: 400 `validation_failed` naming each bad field, nothing changed. ' +
          "`outcome` is an outcome key of the playbook whose conditions the fields meet (else 400 naming `outcome`); `null` clears it. The SLA clock is planned again: a transaction time or status starts or moves the ladder's reminders, an outcome's own due time replaces the playbook's.",
        params: IdParams,
        body: TicketPatchBody,
        response: { 200: TicketDto, ...errorResponses(400, ...AUTHED, 404, 409) },
      },
    },
    async (request) => {
      const viewer = await ticketViewer(deps.db, request.principal);
      const { fields: patch = {}, outcome } = request.body;
      const { ticket } = await changeTicket(deps, slaMinuteMs, async (trx) => {
        const current = await workableTicket(trx, viewer, request.params.id);
        const playbook = await playbookOf(trx, current);
        refuseBadFields(validateTicketFields(playbook, patch));
        const fields = mergeFields(current.fields ?? {}, patch);
        if (outcome) {
          const chosen = (playbook.outcomes ?? []).find((o) => o.key === outcome);
          const problem = !chosen
            ? `must be one of: ${(playbook.outcomes ?? []).map((o) => o.key).join(', ')}`
            : !conditionsHold(chosen.when, fields, now())
              ? 'does not fit the ticket: its conditions do not hold on the fields'
              : null;
          if (problem) throw ValidationFailed(`outcome ${outcome} ${problem}`, { errors: [{ path: 'outcome', field: 'outcome', message: problem }] });
        }
        const updated = await updateTicket(trx, viewer.tenantId, current.id, { fields, ...(outcome !== undefined ? { outcome } : {}) });
        // Field names only: values may be account numbers and names (sensitive fields).
        const changed = Object.keys(patch);
        await addTicketEvent(trx, viewer.tenantId, current.id, {
          kind: 'fields',
          actorId: viewer.userId,
          actorRoles: [...viewer.roles],
          details: { changed, ...(outcome !== undefined ? { outcome } : {}) },
        });
        return { ticket: updated, change: { kind: 'fields', changed }, replan: true };
      });
      request.log.info({ tenantId: viewer.tenantId, ticketId: ticket.id, changedKeys: Object.keys(patch), outcome }, 'ticket fields changed');
      return toTicketDto(ticket, now());
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
      const { result: event } = await changeTicket<TicketEvent>(deps, slaMinuteMs, async (trx) => {
        const ticket = await openTicket(trx, viewer, request.params.id);
        const note = await addTicketEvent(trx, viewer.tenantId, ticket.id, { kind: 'note', actorId: viewer.userId, actorRoles: [...viewer.roles], fromTeam: ticket.team, text });
        return { ticket, change: { kind: 'note', eventId: note.id }, replan: false, result: note };
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
      const { result: event } = await changeTicket<TicketEvent>(deps, slaMinuteMs, async (trx) => {
        const ticket = await openTicket(trx, viewer, request.params.id);
        const gates = (await playbookOf(trx, ticket)).gates.map((g) => g.key);
        if (!gates.includes(gate)) throw ValidationFailed(`${ticket.playbook_key} has no gate ${gate}`, { errors: [{ path: 'gate', message: `must be one of: ${gates.join(', ')}` }] });
        const recorded = await addTicketEvent(trx, viewer.tenantId, ticket.id, { kind: 'exception', actorId: viewer.userId, actorRoles: [...viewer.roles], gate, text: reason });
        return { ticket, change: { kind: 'exception', gate }, replan: false, result: recorded };
      });
      request.log.info({ tenantId: viewer.tenantId, ticketId: event.ticket_id, gate }, 'ticket gate exception recorded');
      return reply.code(201).send(toTicketEventDto(event));
    },
  );

  app.post(
    '/v1/tickets/:id/approvals',
    {
      onRequest: requireRole(...WORKERS),
      schema: {
        tags,
        summary: 'Approve a gate that needs an approval (a bon while an earlier one is outstanding)',
        description:
          "Whom the gate's approval check names approves: a member of its approver teams (the `supervisor` team for a bon) or one of its roles (a team leader). Anyone else is 403 `not_an_approver`; a gate without an approval check is 400 `gate_needs_no_approval`; an unknown gate 400 `validation_failed`.",
        params: IdParams,
        body: TicketApprovalBody,
        response: { 201: TicketEventDto, ...errorResponses(400, ...AUTHED, 404, 409) },
      },
    },
    async (request, reply) => {
      const viewer = await ticketViewer(deps.db, request.principal);
      const { gate, note } = request.body;
      const { result: event } = await changeTicket<TicketEvent>(deps, slaMinuteMs, async (trx) => {
        // Approvers need not hold the ticket (the supervisor is asked while Tier 2 holds it), only see it.
        const ticket = await openTicket(trx, viewer, request.params.id);
        const playbook = await playbookOf(trx, ticket);
        if (!playbook.gates.some((g) => g.key === gate)) {
          throw ValidationFailed(`${ticket.playbook_key} has no gate ${gate}`, { errors: [{ path: 'gate', message: `must be one of: ${playbook.gates.map((g) => g.key).join(', ')}` }] });
        }
        const match = approverFor(playbook, gate, viewer);
        if (match === 'no_approval_check') throw GateNeedsNoApproval(`gate ${gate} of ${ticket.playbook_key} has no approval check`);
        if (match === 'not_an_approver') throw NotAnApprover(`you are not among the approvers of gate ${gate}`);
        const recorded = await addTicketEvent(trx, viewer.tenantId, ticket.id, {
          kind: 'approval',
          actorId: viewer.userId,
          actorRoles: [...viewer.roles],
          gate,
          text: note ?? null,
          details: { role: match.role ?? viewer.roles[0] ?? null, teamKey: match.teamKey },
        });
        return { ticket, change: { kind: 'approval', gate }, replan: false, result: recorded };
      });
      request.log.info({ tenantId: viewer.tenantId, ticketId: event.ticket_id, gate }, 'ticket gate approved');
      return reply.code(201).send(toTicketEventDto(event));
    },
  );

  app.post(
    '/v1/tickets/:id/waiting-on-customer',
    {
      onRequest: requireRole(...WORKERS),
      schema: {
        tags,
        summary: 'Pause the SLA while the ticket waits on the customer',
        description:
          'The due clock stands still (no breach while waiting; ladder reminders about the supplier go on) until `POST …/resume`. Already waiting: answered as it is. Whoever holds the ticket, or a team leader.',
        params: IdParams,
        body: TicketWaitBody,
        response: { 200: TicketDto, ...errorResponses(400, ...AUTHED, 404, 409) },
      },
    },
    async (request) => {
      const viewer = await ticketViewer(deps.db, request.principal);
      const { reason } = request.body;
      if (reason.trim() === '') throw ValidationFailed('say what the customer is asked for', { errors: [{ path: 'reason', message: 'must not be blank' }] });
      const { ticket } = await changeTicket(deps, slaMinuteMs, async (trx) => {
        const current = await workableTicket(trx, viewer, request.params.id);
        if (current.sla_paused_at) return { ticket: current, change: { kind: 'waiting_on_customer' }, replan: false };
        const paused = await updateTicket(trx, viewer.tenantId, current.id, { slaPausedAt: now() });
        await addTicketEvent(trx, viewer.tenantId, current.id, { kind: 'waiting_on_customer', actorId: viewer.userId, actorRoles: [...viewer.roles], text: reason });
        return { ticket: paused, change: { kind: 'waiting_on_customer' }, replan: true };
      });
      request.log.info({ tenantId: viewer.tenantId, ticketId: ticket.id }, 'ticket waits on the customer');
      return toTicketDto(ticket, now());
    },
  );

  app.post(
    '/v1/tickets/:id/resume',
    {
      onRequest: requireRole(...WORKERS),
      schema: {
        tags,
        summary: 'The customer answered: the SLA clock runs again',
        description:
          'The pause is added to the due time (in working time where the SLA counts working hours), so the wait does not count against the team. Not waiting: answered as it is.',
        params: IdParams,
        response: { 200: TicketDto, ...errorResponses(400, ...AUTHED, 404, 409) },
      },
    },
    async (request) => {
      const viewer = await ticketViewer(deps.db, request.principal);
      const { ticket } = await changeTicket(deps, slaMinuteMs, async (trx) => {
        const current = await workableTicket(trx, viewer, request.params.id);
        if (!current.sla_paused_at) return { ticket: current, change: { kind: 'resumed' }, replan: false };
        const playbook = await playbookOf(trx, current);
        const resumedAt = now();
        const waited = pauseLength(current.sla_paused_at, resumedAt, playbook.sla?.workingHours ?? false, await slaCalendarOf(trx, current, playbook));
        const resumed = await updateTicket(trx, viewer.tenantId, current.id, { slaPausedAt: null, slaPausedMs: Number(current.sla_paused_ms) + waited });
        await addTicketEvent(trx, viewer.tenantId, current.id, { kind: 'resumed', actorId: viewer.userId, actorRoles: [...viewer.roles], details: { pausedMs: waited } });
        return { ticket: resumed, change: { kind: 'resumed' }, replan: true };
      });
      request.log.info({ tenantId: viewer.tenantId, ticketId: ticket.id }, 'ticket SLA resumed');
      return toTicketDto(ticket, now());
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
          "The dispatch gates of the ticket's playbook version, then its required fields, are checked server-side: 409 `gate_not_met` with `details: {gate, missing}`. Nothing changes on a refusal. The hop records the due time.",
        params: IdParams,
        body: DispatchTicketBody,
        response: { 200: TicketDto, ...errorResponses(400, ...AUTHED, 404, 409) },
      },
    },
    async (request) => {
      const viewer = await ticketViewer(deps.db, request.principal);
      const { team, note } = request.body;
      const { ticket } = await changeTicket(deps, slaMinuteMs, async (trx) => {
        const moved = await dispatchTicket(trx, viewer, request.params.id, team, note, now());
        return { ticket: moved, change: { kind: 'dispatched', team }, replan: true };
      });
      request.log.info({ tenantId: viewer.tenantId, ticketId: ticket.id, team: ticket.team }, 'ticket dispatched');
      return toTicketDto(ticket, now());
    },
  );

  app.post(
    '/v1/tickets/:id/close',
    {
      onRequest: requireRole('tier2'),
      schema: {
        tags,
        summary: 'Close a ticket with its resolution',
        description:
          'Tier 2 closes a ticket it holds (one with a related team comes back first: 403 `hop_not_allowed`); the resolution is the closing note and must not be blank. Its timers stop.',
        params: IdParams,
        body: CloseTicketBody,
        response: { 200: TicketDto, ...errorResponses(400, ...AUTHED, 404, 409) },
      },
    },
    async (request) => {
      const viewer = await ticketViewer(deps.db, request.principal);
      const { ticket } = await changeTicket(deps, slaMinuteMs, async (trx) => {
        const closed = await closeTicket(trx, viewer, request.params.id, request.body.resolution, now());
        return { ticket: closed, change: { kind: 'closed' }, replan: true };
      });
      request.log.info({ tenantId: viewer.tenantId, ticketId: ticket.id }, 'ticket closed');
      return toTicketDto(ticket, now());
    },
  );
};

/** A ticket the caller sees that is not closed, locked for the change. */
async function openTicket(db: Db, viewer: TicketViewer, id: string): Promise<Ticket> {
  const ticket = await visibleTicket(db, viewer, id, { forUpdate: true });
  if (ticket.status === 'closed') throw TicketClosed();
  return ticket;
}

/** A ticket the caller sees and may work on now, locked for the change; a closed one is 409. */
async function workableTicket(db: Db, viewer: TicketViewer, id: string): Promise<Ticket> {
  const ticket = await openTicket(db, viewer, id);
  if (!canWorkTicket(viewer, { createdBy: ticket.created_by, team: ticket.team })) throw Forbidden('only whoever holds the ticket, or a team leader, changes it');
  return ticket;
}
