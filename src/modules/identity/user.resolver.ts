import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { Auth } from '../../auth/directives.js';
import { ALL_ROLES } from '../../auth/roles.js';
import type { OwnershipChecks } from '../../auth/authorization.js';
import type { Context } from '../context.js';
import { Customer, DeliveryBoy, Supplier, User, UserStatus } from './user.type.js';

interface UserRow {
  id: string;
  status: string;
}

@Resolver(() => User)
export class UserFieldResolver {
  @Auth(['ADMIN', 'MARKETING_STAFF'])
  @Auth([...ALL_ROLES], { owner: true })
  @FieldResolver(() => UserStatus, { description: 'Whether the user may sign in; LOCKED while a password lockout is in force.' })
  async status(@Root() user: UserRow, @Ctx() context: Context): Promise<UserStatus> {
    if (user.status !== 'ACTIVE') return user.status as UserStatus;
    const lockedUntil = await context.loaders.lockedUntilByUserId.load(user.id);
    return lockedUntil ? UserStatus.LOCKED : UserStatus.ACTIVE;
  }

  @Auth(['ADMIN', 'MARKETING_STAFF'])
  @Auth([...ALL_ROLES], { owner: true })
  @FieldResolver(() => Customer, { nullable: true, description: 'The customer facet; null when the user has never had one.' })
  customer(@Root() user: UserRow, @Ctx() context: Context) {
    return context.loaders.customerByUserId.load(user.id);
  }

  @Auth(['ADMIN', 'MARKETING_STAFF'])
  @Auth([...ALL_ROLES], { owner: true })
  @FieldResolver(() => DeliveryBoy, { nullable: true, description: 'The delivery-boy facet; null when the user has never had one.' })
  deliveryBoy(@Root() user: UserRow, @Ctx() context: Context) {
    return context.loaders.deliveryBoyByUserId.load(user.id);
  }

  @Auth(['ADMIN', 'MARKETING_STAFF'])
  @Auth([...ALL_ROLES], { owner: true })
  @FieldResolver(() => Supplier, { nullable: true, description: 'The supplier facet; null when the user has never had one.' })
  supplier(@Root() user: UserRow, @Ctx() context: Context) {
    return context.loaders.supplierByUserId.load(user.id);
  }
}

export const identityOwnership: OwnershipChecks = {
  User: (viewer, user: UserRow) => user.id === viewer.userId,
  AuthPayload: () => true,
  Session: (viewer, session: { userId: string }) => session.userId === viewer.userId,
};
