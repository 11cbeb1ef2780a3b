import type { AgentSkill, RoutingRule, RoutingRuleThen } from '@sapa/contracts';
import { normalisePhrase } from './phrase-match.js';
import { groupsOf, type PlaybookGroup } from './playbook-groups.js';
import { ruleMatches } from './rule-matches.js';

/** A new conversation as routing sees it: where it came in, its first message, the contact's attributes. */
export interface RoutingInput {
  channelId: string;
  channelType: string;
  text: string;
  contactAttributes: Readonly<Record<string, unknown>>;
}

/** Where a new conversation queues and what its agent needs. */
export interface RoutingDecision {
  /** The rule that matched; null when none did. */
  ruleKey: string | null;
  /** The team whose queue it joins; null means the channel's own team. */
  teamId: string | null;
  /** Higher is served first. */
  priority: number;
  /** Skill key → the least level an agent needs. */
  skills: Record<string, number>;
  /** The language the agent must serve; null when any will do. */
  language: string | null;
  /** The playbook groups the first message reads as. */
  groups: PlaybookGroup[];
}

/** Priority of a conversation whose first message reads as fraud, whatever the rules say: fraud reports go first (complaint-playbooks.md §Fraud). */
export const FRAUD_PRIORITY = 100;
/** Priority when no matching rule sets one. */
export const DEFAULT_PRIORITY = 0;

/** The routing of a new conversation: the first rule (in list order) whose every condition holds sets it. */
export function decideRouting(rules: readonly RoutingRule[], input: RoutingInput): RoutingDecision {
  const groups = groupsOf(input.text);
  const facts = { ...input, normalisedText: normalisePhrase(input.text), groups };
  const rule = rules.find((r) => ruleMatches(r.when, facts));
  const then: RoutingRuleThen = rule?.then ?? {};
  const priority = then.priority ?? DEFAULT_PRIORITY;
  return {
    ruleKey: rule?.key ?? null,
    teamId: then.teamId ?? null,
    priority: groups.includes('fraud') ? Math.max(priority, FRAUD_PRIORITY) : priority,
    skills: skillLevels(then.skills ?? []),
    language: then.language ?? null,
    groups,
  };
}

/** A rule's skill list as a map; a skill listed twice needs the higher level. */
function skillLevels(skills: readonly AgentSkill[]): Record<string, number> {
  const levels: Record<string, number> = {};
  for (const { key, level } of skills) levels[key] = Object.hasOwn(levels, key) ? Math.max(levels[key]!, level) : level;
  return levels;
}
