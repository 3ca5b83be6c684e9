import { registerEnumType } from 'type-graphql';
import { Role } from '../generated/prisma/enums.js';

export { Role };
export const ALL_ROLES: readonly Role[] = Object.values(Role);

registerEnumType(Role, { name: 'Role', description: 'What a user may act as; a user may hold several.' });
