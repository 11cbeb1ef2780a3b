import { Type, type Static } from '@sinclair/typebox';

/** Roles of customer-handling.md §Roles. */
export const ROLES = ['admin', 'team_leader', 'agent', 'quality_control', 'tier2', 'related_team'] as const;
export const Role = Type.Union(ROLES.map((r) => Type.Literal(r)));
export type Role = Static<typeof Role>;
