import type { RoutingRuleWhen } from '@sapa/contracts';
import { containsAnyPhrase } from './phrase-match.js';
import type { PlaybookGroup } from './playbook-groups.js';

/** What a rule's conditions are checked against: the new conversation's channel, first message and contact. */
export interface RuleFacts {
  channelId: string;
  channelType: string;
  /** The first message through `normalisePhrase`. */
  normalisedText: string;
  groups: readonly PlaybookGroup[];
  contactAttributes: Readonly<Record<string, unknown>>;
}

/** Whether every condition a rule gives holds (api-contract.md §Routing); a condition left out always holds. */
export function ruleMatches(when: RoutingRuleWhen, facts: RuleFacts): boolean {
  return (
    (when.channelIds === undefined || when.channelIds.includes(facts.channelId)) &&
    (when.channelTypes === undefined || when.channelTypes.includes(facts.channelType)) &&
    (when.keywords === undefined || containsAnyPhrase(facts.normalisedText, when.keywords)) &&
    (when.playbookGroups === undefined || when.playbookGroups.some((g) => (facts.groups as readonly string[]).includes(g))) &&
    (when.contactAttributes === undefined || attributesMatch(when.contactAttributes, facts.contactAttributes))
  );
}

function attributesMatch(wanted: Readonly<Record<string, string | number | boolean>>, actual: Readonly<Record<string, unknown>>): boolean {
  return Object.entries(wanted).every(([key, value]) => Object.hasOwn(actual, key) && attributeEquals(actual[key], value));
}

// Contact attributes arrive from CRMs and CSV imports, where `true` and `5` are often stored as the strings "true"
// and "5"; those still mean the boolean and the number, whichever side holds the string. Nothing looser: "yes",
// "1" for true, " 5", "5.0e0" stay strings.
const DECIMAL = /^-?\d+(\.\d+)?$/;

function attributeEquals(actual: unknown, wanted: string | number | boolean): boolean {
  return actual === wanted || (typeof actual === 'string' && stringMeans(actual, wanted)) || (typeof wanted === 'string' && stringMeans(wanted, actual));
}

function stringMeans(text: string, value: unknown): boolean {
  if (typeof value === 'boolean') return text === String(value);
  if (typeof value === 'number') return DECIMAL.test(text) && Number(text) === value;
  return false;
}
