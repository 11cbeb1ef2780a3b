// Routing v2's choice of agent. The router's SQL mirrors this module for its hot path, so the rules here are the
// specification of that SQL: change one, change both (and the tests that pin them).

/** How the router chooses among suitable agents (a team's setting). */
export type Strategy = 'least_busy' | 'round_robin' | 'skills_weighted';

/** An agent the router may consider: online, in the conversation's team. */
export interface AgentCandidate {
  agentId: string;
  /** Conversations of the conversation's kind (its capacity bucket) the agent holds now. */
  active: number;
  /** Conversations of that kind the agent may hold at once. */
  capacity: number;
  /** Voice calls the agent is on now. */
  activeVoice: number;
  /** When the agent was last given a conversation; null if never. */
  lastAssignedAt: Date | null;
  /** Skill key → level (1–5). */
  skills: Readonly<Record<string, number>>;
  /** Languages the agent serves; empty means any. */
  languages: readonly string[];
}

/** What one conversation needs from its agent. */
export interface ConversationNeed {
  kind: 'chat' | 'email' | 'voice';
  /** Skill key → the least level needed. */
  skills: Readonly<Record<string, number>>;
  language: string | null;
  /** The tenant's setting: an agent on a call takes no chat. */
  voiceBlocksChat: boolean;
  /** The agent who served this contact last, preferred when suitable. */
  stickyAgentId: string | null;
  /** Agents who already let this conversation go unanswered; never offered it again. */
  passedOver: readonly string[];
}

/** Whether an agent may take the conversation: room left, every needed skill, the language, not on a call that blocks chat, not passed over. */
export function isSuitable(c: AgentCandidate, need: ConversationNeed): boolean {
  return (
    c.active < c.capacity &&
    Object.entries(need.skills).every(([key, level]) => skillLevel(c, key) >= level) &&
    (need.language === null || c.languages.length === 0 || c.languages.includes(need.language)) &&
    !(need.voiceBlocksChat && need.kind === 'chat' && c.activeVoice > 0) &&
    !need.passedOver.includes(c.agentId)
  );
}

/**
 * The agent to offer the conversation to, or undefined when nobody suitable is online: the sticky agent if
 * suitable; otherwise the first suitable agent in the strategy's order. Every order ends on `agentId`, so the
 * choice never depends on the order of `candidates`.
 */
export function pickAgent(candidates: readonly AgentCandidate[], need: ConversationNeed, strategy: Strategy): AgentCandidate | undefined {
  const suitable = candidates.filter((c) => isSuitable(c, need));
  const sticky = suitable.find((c) => c.agentId === need.stickyAgentId);
  if (sticky) return sticky;
  const compare = ORDERS[strategy](need);
  return suitable.reduce<AgentCandidate | undefined>((best, c) => (best === undefined || compare(c, best) < 0 ? c : best), undefined);
}

type Order = (a: AgentCandidate, b: AgentCandidate) => number;

/** Fewest active, then longest since the last assignment (never assigned first), then agentId. */
const leastBusy: Order = (a, b) => ascending(a.active, b.active) || roundRobin(a, b);

/** Longest since the last assignment (never assigned first), then agentId. */
const roundRobin: Order = (a, b) => ascending(assignedAt(a), assignedAt(b)) || byId(a, b);

const byId: Order = (a, b) => ascending(a.agentId, b.agentId);

const ORDERS: Record<Strategy, (need: ConversationNeed) => Order> = {
  least_busy: () => leastBusy,
  round_robin: () => roundRobin,
  // Highest sum of the agent's levels in the skills the conversation needs (skills it does not need do not count;
  // with none needed every agent scores 0), then least busy.
  skills_weighted: (need) => {
    const score = (c: AgentCandidate) => Object.keys(need.skills).reduce((sum, key) => sum + skillLevel(c, key), 0);
    return (a, b) => ascending(score(b), score(a)) || leastBusy(a, b);
  },
};

/** Plain `<`, for numbers and strings alike: agentIds are lower-case UUIDs, whose text order is Postgres's `uuid` order. */
function ascending<T extends number | string>(x: T, y: T): number {
  return x < y ? -1 : x > y ? 1 : 0;
}

function assignedAt(c: AgentCandidate): number {
  return c.lastAssignedAt?.getTime() ?? Number.NEGATIVE_INFINITY;
}

/** A skill the agent lacks is level 0; own keys only, so a skill named `constructor` is not Object's. */
function skillLevel(c: AgentCandidate, key: string): number {
  return Object.hasOwn(c.skills, key) ? (c.skills[key] ?? 0) : 0;
}
