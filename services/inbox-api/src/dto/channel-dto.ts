import type { ChannelStatus, ChannelSummary, ChannelType } from '@sapa/contracts';
import type { Channel } from '@sapa/db';

/** A channel as admins see it: never its config secrets. */
export function toChannelSummary(c: Channel): ChannelSummary {
  return { id: c.id, type: c.type as ChannelType, name: c.name, teamId: c.team_id, status: c.status as ChannelStatus };
}
