import {
  type CONVERSATION_VARIABLES,
  closingPhrase,
  localizeClosingPhrase,
  renderTemplate,
  timeOfDayWord,
  type HandlingSettings,
  type Holiday,
  type TemplateVars,
} from '@sapa/handling';
import type { HandlingSuggestions } from '@sapa/contracts';

export interface TextContext {
  settings: HandlingSettings;
  holidays: Holiday[];
  /** The instant the texts are for: the time-of-day word and the closing phrase follow it in the tenant's zone. */
  at: Date;
  /** Who speaks: the conversation's agent. */
  agentName: string;
}

/**
 * The variables every template may use (customer-handling.md §phases 1 and 7), in the tenant's zone and locale:
 * any template may use any of them, so a tenant can, say, sign the closing with the agent's name.
 */
export function templateVars(ctx: TextContext): Required<Pick<TemplateVars, (typeof CONVERSATION_VARIABLES)[number]>> {
  const { settings, holidays, at } = ctx;
  const phrase = closingPhrase(at, { timeZone: settings.timeZone, holidays });
  return {
    brand: settings.brand,
    agentName: ctx.agentName,
    timeOfDay: timeOfDayWord(at, settings.timeZone, settings.locale),
    closingPhrase: localizeClosingPhrase(phrase, settings.locale),
  };
}

/** The greeting, closing and nudge texts of the tenant, filled for this moment and agent. */
export function handlingTexts(ctx: TextContext): HandlingSuggestions {
  const vars = templateVars(ctx);
  const { templates } = ctx.settings;
  return {
    greeting: renderTemplate(templates.greeting, vars),
    closing: renderTemplate(templates.closing, vars),
    nudge: renderTemplate(templates.nudge, vars),
  };
}
