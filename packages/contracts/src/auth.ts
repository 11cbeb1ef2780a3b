import { Type, type Static } from '@sinclair/typebox';
import { Role } from './roles.js';

export const LoginBody = Type.Object(
  { email: Type.String({ minLength: 3, maxLength: 320 }), password: Type.String({ minLength: 1, maxLength: 1024 }) },
  { additionalProperties: false },
);
export type LoginBody = Static<typeof LoginBody>;

export const UserDto = Type.Object({
  id: Type.String(),
  tenantId: Type.String(),
  name: Type.String(),
  email: Type.String(),
  roles: Type.Array(Role),
});
export type UserDto = Static<typeof UserDto>;

export const LoginResponse = Type.Object({ token: Type.String(), user: UserDto });
export type LoginResponse = Static<typeof LoginResponse>;

export const CreateApiTokenBody = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 200 }), roles: Type.Array(Role, { minItems: 1, uniqueItems: true }) },
  { additionalProperties: false },
);
export type CreateApiTokenBody = Static<typeof CreateApiTokenBody>;

export const CreatedApiToken = Type.Object({ id: Type.String(), token: Type.String() });
