import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Ctx, ID, Info, Mutation, Query, Resolver } from 'type-graphql';
import { Auth, Public } from '../../auth/directives.js';
import { ALL_ROLES } from '../../auth/roles.js';
import { recordIssuedViewer } from '../../auth/viewer.js';
import type { Context } from '../context.js';
import type { SecondFactorProof } from './second-factor.service.js';
import { Passkey, SecondFactorStatus, StepUp, TotpConfirmation, TotpEnrolment } from './second-factor.type.js';
import { AuthPayload } from './user.type.js';

const CODE = 'The 6 digits the authenticator app shows now; each code is accepted once.';
const RECOVERY_CODE = 'One of the ten recovery codes (with or without its dash); each works once.';
const PASSKEY_RESPONSE = "The JSON of the browser's WebAuthn assertion (startAuthentication of @simplewebauthn/browser).";

function proofOf(context: Context, code: string | null, recoveryCode: string | null, passkeyResponse: string | null): SecondFactorProof {
  return {
    code,
    recoveryCode,
    ...(passkeyResponse ? { passkey: context.services.passkeys.assertion(passkeyResponse) } : {}),
  };
}

@Resolver()
export class SecondFactorResolver {
  @Auth([...ALL_ROLES])
  @Query(() => SecondFactorStatus, { description: 'Your second factor: what is enrolled, and what this session still owes.' })
  async secondFactorStatus(@Ctx() context: Context) {
    const user = await context.loaders.userById.load(context.viewer!.userId);
    return context.services.secondFactor.status(context.viewer!, user?.roles ?? []);
  }

  @Auth([...ALL_ROLES])
  @Mutation(() => TotpEnrolment, {
    description:
      'Starts enrolling an authenticator app: a new secret and its otpauth:// URI, working once confirmTotpEnrolment ' +
      'accepts a first code. Starting again replaces a pending secret. CONFLICT when an app is already enrolled (an admin can ' +
      'reset it); STEP_UP_REQUIRED when you already have a passkey and have not proved a factor in the last 15 minutes.',
  })
  beginTotpEnrolment(@Ctx() context: Context) {
    return context.services.secondFactor.beginTotpEnrolment(context.viewer!);
  }

  @Auth([...ALL_ROLES])
  @Mutation(() => TotpConfirmation, {
    description:
      'Confirms the pending authenticator app with its current code and answers ten recovery codes, shown only now. ' +
      'This session counts as having proved the factor. BAD_USER_INPUT when the code does not match or nothing is pending.',
  })
  confirmTotpEnrolment(@Arg('code', () => String, { description: CODE }) code: string, @Ctx() context: Context) {
    return context.services.secondFactor.confirmTotpEnrolment(context.viewer!, code).then((recoveryCodes) => ({ recoveryCodes }));
  }

  @Public()
  @Mutation(() => AuthPayload, {
    description:
      'Completes a sign-in that answered SECOND_FACTOR_REQUIRED: give the challenge and exactly one of code, ' +
      'recoveryCode and passkeyResponse. INVALID_CREDENTIALS for a wrong, used or replayed code (it counts toward the ' +
      "account's lockout: RATE_LIMITED once locked); UNAUTHENTICATED when the challenge has ended (5 minutes, 5 wrong codes, " +
      'or used): sign in again. RATE_LIMITED (with extensions.retryAfterSeconds) when this client is making too many attempts.',
  })
  async verifySecondFactor(
    @Arg('challenge', () => String, { description: 'extensions.challenge of the SECOND_FACTOR_REQUIRED answer.' }) challenge: string,
    @Arg('code', () => String, { nullable: true, description: CODE }) code: string | null,
    @Arg('recoveryCode', () => String, { nullable: true, description: RECOVERY_CODE }) recoveryCode: string | null,
    @Arg('passkeyResponse', () => String, { nullable: true, description: PASSKEY_RESPONSE }) passkeyResponse: string | null,
    @Ctx() context: Context,
    @Info() info: GraphQLResolveInfo,
  ) {
    const metadata = { clientIp: context.clientIp, userAgent: context.userAgent };
    const result = await context.services.auth.verifySecondFactor(challenge, proofOf(context, code, recoveryCode, passkeyResponse), metadata);
    recordIssuedViewer(context, info, result.viewer);
    return result;
  }

  @Public()
  @Mutation(() => String, {
    description:
      'The WebAuthn options (JSON, for startAuthentication) to answer a sign-in challenge with a passkey. ' +
      'UNAUTHENTICATED when the challenge has ended; BAD_USER_INPUT when the account has no passkey; FORBIDDEN when passkeys ' +
      'are not configured. RATE_LIMITED (with extensions.retryAfterSeconds) when this client is making too many attempts.',
  })
  async beginPasskeySignIn(
    @Arg('challenge', () => String, { description: 'extensions.challenge of the SECOND_FACTOR_REQUIRED answer.' }) challenge: string,
    @Ctx() context: Context,
  ) {
    await context.services.auth.throttle(context.clientIp);
    return context.services.passkeys.beginSignIn(challenge);
  }

  @Auth([...ALL_ROLES])
  @Mutation(() => StepUp, {
    description:
      'Proves your second factor again for this session (step-up): sensitive admin mutations need one from the last ' +
      '15 minutes (STEP_UP_REQUIRED otherwise). Give exactly one of code, recoveryCode and passkeyResponse (after ' +
      "beginPasskeyReauthentication). INVALID_CREDENTIALS for a wrong or used code (it counts toward the account's lockout: " +
      'RATE_LIMITED once locked).',
  })
  reauthenticate(
    @Arg('code', () => String, { nullable: true, description: CODE }) code: string | null,
    @Arg('recoveryCode', () => String, { nullable: true, description: RECOVERY_CODE }) recoveryCode: string | null,
    @Arg('passkeyResponse', () => String, { nullable: true, description: PASSKEY_RESPONSE }) passkeyResponse: string | null,
    @Ctx() context: Context,
  ) {
    return context.services.secondFactor.reauthenticate(context.viewer!, proofOf(context, code, recoveryCode, passkeyResponse));
  }

  @Auth([...ALL_ROLES])
  @Mutation(() => String, {
    description:
      'The WebAuthn options (JSON, for startAuthentication) to reauthenticate with a passkey; valid 5 minutes. ' +
      'BAD_USER_INPUT when you have no passkey; FORBIDDEN when passkeys are not configured.',
  })
  beginPasskeyReauthentication(@Ctx() context: Context) {
    return context.services.passkeys.beginReauthentication(context.viewer!);
  }

  @Auth([...ALL_ROLES])
  @Mutation(() => String, {
    description:
      'The WebAuthn options (JSON, for startRegistration) to register a passkey; valid 5 minutes. STEP_UP_REQUIRED when ' +
      'you already have a second factor and have not proved it in the last 15 minutes; FORBIDDEN when passkeys are not configured.',
  })
  beginPasskeyRegistration(@Ctx() context: Context) {
    return context.services.passkeys.beginRegistration(context.viewer!);
  }

  @Auth([...ALL_ROLES])
  @Mutation(() => Passkey, {
    description:
      'Registers the passkey the browser created for beginPasskeyRegistration. A first factor registered this way counts ' +
      'as proved for this session. BAD_USER_INPUT when the response does not verify or no registration is in progress. Audit-logged.',
  })
  finishPasskeyRegistration(
    @Arg('response', () => String, { description: "The JSON of the browser's WebAuthn attestation (startRegistration)." }) response: string,
    @Arg('name', () => String, { description: 'A name to tell it apart, 1 to 60 characters (e.g. "Office laptop").' }) name: string,
    @Ctx() context: Context,
  ) {
    return context.services.passkeys.finishRegistration(context.viewer!, response, name);
  }

  @Auth(['ADMIN'])
  @Mutation(() => Boolean, {
    description:
      "Removes another user's authenticator app, recovery codes and passkeys (a lost phone) and ends that user's " +
      'sessions; their next sign-in enrols again. Needs your second factor from the last 15 minutes (STEP_UP_REQUIRED). ' +
      'NOT_FOUND for an unknown user; BAD_USER_INPUT for yourself. Audit-logged.',
  })
  resetSecondFactor(@Arg('userId', () => ID, { description: 'The user (User.id).' }) userId: string, @Ctx() context: Context) {
    return context.services.secondFactor.reset(context.viewer!, userId);
  }
}
