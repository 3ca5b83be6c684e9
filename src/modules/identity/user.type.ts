import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Auth, Public } from '../../auth/directives.js';
import { ALL_ROLES, Role } from '../../auth/roles.js';
import { ConnectionType } from '../../graphql/connection.type.js';
import { Customer } from '../customers/index.js';
import { DeliveryBoy } from '../delivery/index.js';
import { Supplier } from '../suppliers/index.js';

/** LOCKED is never stored: it is reported while a password lockout is in force. */
export enum UserStatus {
  ACTIVE = 'ACTIVE',
  LOCKED = 'LOCKED',
  DISABLED = 'DISABLED',
  ARCHIVED = 'ARCHIVED',
}
registerEnumType(UserStatus, {
  name: 'UserStatus',
  description: 'Whether a user may sign in.',
  valuesConfig: {
    ACTIVE: { description: 'May sign in.' },
    LOCKED: {
      description:
        'Password sign-in is locked after repeated wrong passwords, for a while or until an admin unlocks it; OTP sign-in ' +
        'and password reset still work. Reported, never set: setUserStatus refuses it.',
    },
    DISABLED: { description: 'Stopped by an admin: cannot sign in, and its sessions were ended.' },
    ARCHIVED: { description: 'Kept only as history: cannot sign in.' },
  },
});

@ObjectType({ simpleResolvers: true, description: 'One identity with role facets (SPEC §1).' })
export class User {
  @Auth(['ADMIN', 'MARKETING_STAFF'])
  @Auth([...ALL_ROLES], { owner: true })
  @Field(() => ID, { description: "The user's id (its facets have ids of their own)." })
  id!: string;

  @Auth(['ADMIN', 'MARKETING_STAFF'])
  @Auth([...ALL_ROLES], { owner: true })
  @Field(() => String, { description: "The person's or business's name." })
  name!: string;

  @Auth(['ADMIN', 'MARKETING_STAFF'])
  @Auth([...ALL_ROLES], { owner: true })
  @Field(() => String, {
    nullable: true,
    description: 'Lower-case; null when the user has none. Masked: null with FORBIDDEN at this path for anyone but the user, admins ' + 'and marketing staff.',
  })
  email!: string | null;

  @Auth(['ADMIN', 'MARKETING_STAFF'])
  @Auth([...ALL_ROLES], { owner: true })
  @Field(() => String, {
    nullable: true,
    description: 'E.164, e.g. +919876543210; null when the user has none. Masked like email.',
  })
  phone!: string | null;

  @Auth(['ADMIN', 'MARKETING_STAFF'])
  @Auth([...ALL_ROLES], { owner: true })
  @Field(() => [Role], { description: 'What the user may act as; at least one.' })
  roles!: Role[];

  @Auth(['ADMIN', 'MARKETING_STAFF'])
  @Auth([...ALL_ROLES], { owner: true })
  @Field(() => Date, { description: 'When the user was created.' })
  createdAt!: Date;
}

@ObjectType({ simpleResolvers: true, description: 'A signed-in session: a 15-minute access token and a rotating refresh token.' })
export class AuthPayload {
  @Public()
  @Field(() => String, { description: 'Send as `Authorization: Bearer <accessToken>`; valid for 15 minutes.' })
  accessToken!: string;

  @Public()
  @Field(() => Date, { description: 'When accessToken expires: refresh the session before then.' })
  accessTokenExpiresAt!: Date;

  @Public()
  @Field(() => String, {
    description:
      'Single use, for refreshSession and logout; each refresh returns a new one (keep only the newest). The session ' +
      'ends 30 days after sign-in at the latest.',
  })
  refreshToken!: string;

  @Public()
  @Field(() => User, { description: 'The signed-in user.' })
  user!: User;
}

@ObjectType({ simpleResolvers: true, description: 'A one-time code sent by SMS: verify it with verifyOtp.' })
export class OtpChallenge {
  @Public()
  @Field(() => Date, { description: 'When the code stops working (5 minutes after it was sent).' })
  expiresAt!: Date;

  @Public()
  @Field(() => Date, { description: 'The earliest a new code may be requested for this phone (60 seconds on).' })
  resendAfter!: Date;
}

export const UserConnection = ConnectionType('User', User);

export { Customer, DeliveryBoy, Supplier };
