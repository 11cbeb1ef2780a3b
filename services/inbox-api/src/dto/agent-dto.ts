import type { AgentDto } from '@sapa/contracts';
import type { AgentView } from '@sapa/db/queries/agent-views';

export interface TeamRef {
  id: string;
  key: string;
  name: string;
}

export function toAgentDto(a: AgentView, teams: TeamRef[]): AgentDto {
  return {
    id: a.user_id,
    name: a.name,
    status: a.presence,
    teams,
    activeConversations: { chat: a.active_chat, email: a.active_email, voice: a.active_voice },
    capacity: { chat: a.capacity_chat, email: a.capacity_email, voice: a.capacity_voice },
    skills: Object.entries(a.skills ?? {})
      .map(([key, level]) => ({ key, level }))
      .sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0)),
    languages: a.languages ?? [],
    extension: a.extension ?? null,
  };
}
