import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Public } from '../../auth/directives.js';

export enum SecondFactorPending {
  ENROL = 'ENROL',
  VERIFY = 'VERIFY',
}
registerEnumType(SecondFactorPending, {
  name: 'SecondFactorPending',
  description: 'What a session still owes before it may do anything else.',
  valuesConfig: {
    ENROL: { description: 'Your role needs a second factor and you have none: enrol an authenticator app or a passkey.' },
    VERIFY: { description: 'You have a second factor this session has not proved: call reauthenticate.' },
  },
});

@ObjectType({ simpleResolvers: true, description: 'A new authenticator-app secret, pending until confirmTotpEnrolment accepts a first code.' })
export class TotpEnrolment {
  @Public()
  @Field(() => String, { description: 'The secret in base32, for typing into an app by hand; shown only now.' })
  secret!: string;

  @Public()
  @Field(() => String, { description: 'The otpauth:// URI (RFC 6238, SHA-1, 6 digits, 30 seconds) to show as a QR code.' })
  uri!: string;
}

@ObjectType({ simpleResolvers: true, description: 'A confirmed authenticator app.' })
export class TotpConfirmation {
  @Public()
  @Field(() => [String], {
    description: 'Ten single-use recovery codes, each replacing an app code once; shown only now (they are stored hashed).',
  })
  recoveryCodes!: string[];
}

@ObjectType({ simpleResolvers: true, description: 'A second factor just proved by this session.' })
export class StepUp {
  @Public()
  @Field(() => Date, { description: 'When it was proved.' })
  verifiedAt!: Date;

  @Public()
  @Field(() => Date, { description: 'Until when sensitive mutations accept it (15 minutes on).' })
  validUntil!: Date;
}

@ObjectType({ simpleResolvers: true, description: 'A passkey registered as a second factor (its public key stays on the server).' })
export class Passkey {
  @Public()
  @Field(() => ID, { description: "The passkey's id." })
  id!: string;

  @Public()
  @Field(() => String, { description: 'The name given when it was registered.' })
  name!: string;

  @Public()
  @Field(() => Date, { description: 'When it was registered.' })
  createdAt!: Date;

  @Public()
  @Field(() => Date, { nullable: true, description: 'When it last proved a sign-in or step-up; null when never.' })
  lastUsedAt!: Date | null;
}

@ObjectType({ simpleResolvers: true, description: "The signed-in user's second factor." })
export class SecondFactorStatus {
  @Public()
  @Field(() => Boolean, { description: 'Whether your roles need a second factor (MFA_REQUIRED_ROLES).' })
  required!: boolean;

  @Public()
  @Field(() => Boolean, { description: 'Whether an authenticator app is enrolled and confirmed.' })
  totpEnrolled!: boolean;

  @Public()
  @Field(() => Int, { description: 'Recovery codes not yet used (0 without an authenticator app).' })
  recoveryCodesLeft!: number;

  @Public()
  @Field(() => [Passkey], { description: 'Your passkeys, oldest first.' })
  passkeys!: Passkey[];

  @Public()
  @Field(() => Date, { nullable: true, description: 'When this session last proved a second factor; null when never.' })
  verifiedAt!: Date | null;

  @Public()
  @Field(() => SecondFactorPending, { nullable: true, description: 'What this session still owes; null when nothing.' })
  pending!: SecondFactorPending | null;
}
