import type { HandlingTimer } from '@sapa/contracts';
import {
  closingPhrase,
  localizeClosingPhrase,
  renderTemplate,
  timeOfDayWord,
  type HandlingSettings,
  type HolidayEntry,
} from '@sapa/handling';

/** What Sapa says when a timer acts: the tenant's nudge question, or its closing text with the phrase of the moment. */
export function systemTextFor(
  kind: HandlingTimer['kind'],
  settings: HandlingSettings,
  holidays: readonly HolidayEntry[],
  at: Date,
  agentName: string | null,
): string {
  const phrase = closingPhrase(at, { timeZone: settings.timeZone, holidays });
  // Every variable is given, so a tenant's template may use any of them (renderTemplate refuses a missing one).
  const vars = {
    brand: settings.brand,
    agentName: agentName ?? settings.brand,
    closingPhrase: localizeClosingPhrase(phrase, settings.locale),
    timeOfDay: timeOfDayWord(at, settings.timeZone, settings.locale),
  };
  return renderTemplate(isClosing(kind) ? settings.templates.closing : settings.templates.nudge, vars);
}

export function isClosing(kind: HandlingTimer['kind']): boolean {
  return kind === 'close' || kind === 'leave_close';
}
