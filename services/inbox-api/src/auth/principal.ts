/** Who is looking: what every visibility and permission rule of the inbox API decides on. */
export interface Viewer {
  userId: string;
  tenantId: string;
  roles: readonly string[];
  /** Teams the user is a member of (leaders included). */
  teamIds: readonly string[];
  /** Teams the user leads (team_members.is_leader). */
  leaderOfTeamIds: readonly string[];
}

/** The authenticated caller of a request: a viewer plus the token it came with. */
export interface Principal extends Viewer {
  tokenId: string;
  tokenHash: string;
  name: string;
  email: string;
}

export function hasRole(viewer: Viewer, ...roles: string[]): boolean {
  return roles.some((r) => viewer.roles.includes(r));
}
