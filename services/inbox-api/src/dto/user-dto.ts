import type { Role, UserDto } from '@sapa/contracts';

export function toUserDto(u: { id: string; tenant_id: string; name: string; email: string; roles: string[] }): UserDto {
  return { id: u.id, tenantId: u.tenant_id, name: u.name, email: u.email, roles: u.roles as Role[] };
}
