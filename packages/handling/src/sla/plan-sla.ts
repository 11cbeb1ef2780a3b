import { DateTime, type IANAZone } from 'luxon';
import { conditionsHold } from '../playbooks/evaluate-condition.js';
import type { Playbook } from '../playbooks/playbook-schema.js';
import type { Due, Ladder, LadderAction, SlaStart } from '../playbooks/sla-schema.js';
import type { BusinessCalendar } from './business-hours.js';
import { knownZone } from './local-days.js';
import { addWorkingTime, workingTimeBetween } from './working-time.js';

/** A working-hours minute is always a real minute of the calendar; only wall-clock minutes follow `SlaClock`. */
const WORKING_MINUTE_MS = 60_000;

/** What the SLA plan of a ticket depends on. */
export interface SlaTicketState {
  fields: Readonly<Record<string, unknown>>;
  /** The chosen outcome's key, or null while none is chosen. */
  outcome: string | null;
  createdAt: Date;
  /** Time the ticket spent paused (waiting on the customer), as `pauseLength` measures it; it moves the due. */
  pausedMs: number;
}

/** How long a wall-clock minute lasts: 60 000 ms in production; tests shorten it. Working-hours SLAs ignore it. */
export interface SlaClock {
  minuteMs: number;
}

/** One step of an escalation ladder, due at `fireAt`; `key` (`${ladder}.${step}`) is stable, for timer ids. */
export interface PlannedReminder {
  key: string;
  ladder: string;
  step: number;
  action: LadderAction;
  note: string;
  owner: string | null;
  toTeam: string | null;
  fireAt: Date;
  repeatEveryMinutes: number | null;
}

/**
 * When a ticket's clock started (null when the start field is not filled in), when it is due (null when neither the
 * chosen outcome nor the playbook has a due), whether it counts working hours, and its ladder steps by `fireAt`.
 */
export interface SlaPlan {
  startsAt: Date | null;
  dueAt: Date | null;
  workingHours: boolean;
  reminders: PlannedReminder[];
}

/**
 * The SLA plan of a ticket (complaint-playbooks.md §What a playbook holds, `sla`; the transaction ladder in §The
 * playbooks, with every number). The clock starts at `sla.startsAt`: the ticket's creation, or a date/datetime field
 * read as ISO 8601 (without an offset: tenant-local wall time). The due is the chosen
 * outcome's `due`, else `sla.due`, counted from the start (from the creation when the start field is empty) plus
 * the paused time. Ladder steps whose ladder's `when` holds count from the start without the paused time: they chase
 * the supplier, who does not wait while the customer does; with no start there are none.
 */
export function planSla(playbook: Playbook, ticket: SlaTicketState, calendar: BusinessCalendar, clock: SlaClock): SlaPlan {
  const zone = knownZone(calendar.timeZone);
  const sla = playbook.sla;
  const workingHours = sla?.workingHours ?? false;
  const after = (from: Date, minutes: number, extraMs: number): Date =>
    workingHours
      ? addWorkingTime(from, minutes * WORKING_MINUTE_MS + extraMs, calendar)
      : new Date(from.getTime() + minutes * clock.minuteMs + extraMs);

  const startsAt = clockStart(sla?.startsAt ?? 'ticket_created', ticket, zone);
  const due = chosenDue(playbook, ticket.outcome);
  const dueAt = due ? after(startsAt ?? ticket.createdAt, due.maxMinutes, ticket.pausedMs) : null;
  const reminders = startsAt ? ladderSteps(sla?.ladders ?? [], ticket, (minutes) => after(startsAt, minutes, 0)) : [];
  return { startsAt, dueAt, workingHours, reminders };
}

/** How much a pause (waiting on the customer) moves the due: its working time on the calendar, or its wall time. */
export function pauseLength(pausedAt: Date, resumedAt: Date, workingHours: boolean, calendar: BusinessCalendar): number {
  if (workingHours) return workingTimeBetween(pausedAt, resumedAt, calendar);
  return Math.max(0, resumedAt.getTime() - pausedAt.getTime());
}

function clockStart(start: SlaStart, ticket: SlaTicketState, zone: IANAZone): Date | null {
  if (start === 'ticket_created') return ticket.createdAt;
  const value = ticket.fields[start.field];
  if (typeof value !== 'string' || value.trim() === '') return null;
  const parsed = DateTime.fromISO(value.trim(), { zone });
  return parsed.isValid ? parsed.toJSDate() : null;
}

/** An outcome's own due replaces the playbook's once the outcome is chosen (sla-schema.ts `Sla.due`). */
function chosenDue(playbook: Playbook, outcome: string | null): Due | null {
  const chosen = outcome === null ? undefined : playbook.outcomes.find((o) => o.key === outcome);
  return chosen?.due ?? playbook.sla?.due ?? null;
}

function ladderSteps(ladders: readonly Ladder[], ticket: SlaTicketState, fireAt: (afterMinutes: number) => Date): PlannedReminder[] {
  const reminders = ladders
    .filter((ladder) => conditionsHold(ladder.when, ticket.fields, ticket.createdAt))
    .flatMap((ladder) =>
      ladder.steps.map((step, index): PlannedReminder => ({
        key: `${ladder.key}.${index}`,
        ladder: ladder.key,
        step: index,
        action: step.action,
        note: step.note,
        owner: ladder.owner ?? null,
        toTeam: step.toTeam ?? null,
        fireAt: fireAt(step.afterMinutes),
        repeatEveryMinutes: step.repeatEveryMinutes ?? null,
      })),
    );
  // By time, then by key: ladder, then step number (so "pending.10" follows "pending.9").
  return reminders.sort(
    (a, b) => a.fireAt.getTime() - b.fireAt.getTime() || (a.ladder < b.ladder ? -1 : a.ladder > b.ladder ? 1 : a.step - b.step),
  );
}
