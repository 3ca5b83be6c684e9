import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Auth, Public } from '../../auth/directives.js';
import { ALL_ROLES, Role } from '../../auth/roles.js';
import { ConnectionType } from '../../shared/graphql/connection.type.js';
import { Customer } from '../customers/customer.type.js';
import { DeliveryBoy } from '../delivery/delivery-boy.type.js';
import { Supplier } from '../suppliers/supplier.type.js';

/** LOCKED is never stored: it is reported while a password lockout is in force. */
export enum UserStatus {
  ACTIVE = 'ACTIVE',
  LOCKED = 'LOCKED',
  DISABLED = 'DISABLED',
  ARCHIVED = 'ARCHIVED',
}
registerEnumType(UserStatus, { name: 'UserStatus' });

@ObjectType({ description: 'One identity with role facets (SPEC §1).' })
export class User {
  @Auth(['ADMIN', 'MARKETING_STAFF'])
  @Auth([...ALL_ROLES], { owner: true })
  @Field(() => ID)
  id!: string;

  @Auth(['ADMIN', 'MARKETING_STAFF'])
  @Auth([...ALL_ROLES], { owner: true })
  @Field(() => String)
  name!: string;

  @Auth(['ADMIN', 'MARKETING_STAFF'])
  @Auth([...ALL_ROLES], { owner: true })
  @Field(() => String, { nullable: true })
  email!: string | null;

  @Auth(['ADMIN', 'MARKETING_STAFF'])
  @Auth([...ALL_ROLES], { owner: true })
  @Field(() => String, { nullable: true })
  phone!: string | null;

  @Auth(['ADMIN', 'MARKETING_STAFF'])
  @Auth([...ALL_ROLES], { owner: true })
  @Field(() => [Role])
  roles!: Role[];

  /** The stored status (ACTIVE, DISABLED, ARCHIVED); the `status` field adds LOCKED. */
  storedStatus!: string;

  @Auth(['ADMIN', 'MARKETING_STAFF'])
  @Auth([...ALL_ROLES], { owner: true })
  @Field(() => Date)
  createdAt!: Date;
}

@ObjectType({ description: 'A signed-in session: a 15-minute access token and a rotating refresh token.' })
export class AuthPayload {
  @Public()
  @Field(() => String)
  accessToken!: string;

  @Public()
  @Field(() => Date)
  accessTokenExpiresAt!: Date;

  @Public()
  @Field(() => String)
  refreshToken!: string;

  @Public()
  @Field(() => User)
  user!: User;
}

@ObjectType()
export class OtpChallenge {
  @Public()
  @Field(() => Date)
  expiresAt!: Date;

  @Public()
  @Field(() => Date)
  resendAfter!: Date;
}

export const UserConnection = ConnectionType('User', User);

export { Customer, DeliveryBoy, Supplier };
