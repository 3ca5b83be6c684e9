import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Ctx, ID, Info, Mutation, Query, Resolver } from 'type-graphql';
import { Auth, Public } from '../../auth/directives.js';
import { requireRecentSecondFactor, STEP_UP_NOTE } from '../../auth/second-factor.js';
import { ALL_ROLES, Role } from '../../auth/roles.js';
import { recordIssuedViewer } from '../../auth/viewer.js';
import type { Context } from '../context.js';
import { IDEMPOTENCY_KEY_DESCRIPTION, idempotentRequest } from '../idempotency/index.js';
import { PageArgs } from '../../graphql/connection.type.js';
import type { AuthResult } from './auth.service.js';
import { describeDevice } from './device.label.js';
import type { SessionMetadata } from './session.service.js';
import { CreateStaffUserInput, RegisterInput, UserFilter } from './identity.input.js';
import { AuthPayload, OtpChallenge, User, UserConnection, UserStatus } from './user.type.js';

/** What a sign-in records of the client; the device headers are checked before anything else is. */
function metadata(context: Context): SessionMetadata {
  const headers = { userAgent: context.userAgent, ...(context.clientHeaders ?? { clientName: null, clientVersion: null, deviceId: null }) };
  describeDevice(headers);
  return { clientIp: context.clientIp, ...headers };
}

/**
 * The payload of a sign-in is the new session's: its user is judged for that session, whatever
 * Authorization header (another user's, expired, revoked, garbage) came with the request.
 */
async function signedIn(context: Context, info: GraphQLResolveInfo, session: Promise<AuthResult>): Promise<AuthResult> {
  const result = await session;
  recordIssuedViewer(context, info, result.viewer);
  return result;
}

@Resolver()
export class IdentityResolver {
  @Public()
  @Mutation(() => AuthPayload, {
    description:
      'Creates a customer account (status NEW, welcome message queued) and signs it in. CONFLICT when the email or ' +
      'phone is already registered (sign in with OTP instead). RATE_LIMITED (with extensions.retryAfterSeconds) when this client is making too many attempts. ' +
      'Safe to retry with an idempotency key (idempotencyKey or the Idempotency-Key header), kept per client address: a retry ' +
      'with the same input answers the same user in a new session (new tokens; the first refresh token still works).',
  })
  register(
    @Arg('input', () => RegisterInput, { description: 'The new customer.' }) input: RegisterInput,
    @Arg('idempotencyKey', () => String, { nullable: true, description: IDEMPOTENCY_KEY_DESCRIPTION }) idempotencyKey: string | null,
    @Ctx() context: Context,
    @Info() info: GraphQLResolveInfo,
  ) {
    // An anonymous caller's key is scoped to its client address (TRUST_PROXY decides what that is).
    const request = idempotentRequest(context, 'register', { input }, idempotencyKey, `ip:${context.clientIp}`);
    return signedIn(
      context,
      info,
      context.services.idempotency.run(request, {
        execute: (guard) => context.services.auth.register(input, metadata(context), guard),
        idOf: (result) => result.user.id,
        replay: (userId) => context.services.auth.registeredAgain(userId, metadata(context)),
      }),
    );
  }

  @Public()
  @Mutation(() => AuthPayload, {
    description:
      'Signs in with a password. INVALID_CREDENTIALS for an unknown identifier or a wrong password alike; after ' +
      'repeated wrong passwords the account is locked for a while: RATE_LIMITED (with extensions.retryAfterSeconds), while OTP ' +
      'sign-in and password reset still work. RATE_LIMITED (with extensions.retryAfterSeconds) when this client is making too many attempts.',
  })
  login(
    @Arg('identifier', () => String, { description: 'The email or phone (any accepted format) of the account.' }) identifier: string,
    @Arg('password', () => String, { description: "The account's password." }) password: string,
    @Ctx() context: Context,
    @Info() info: GraphQLResolveInfo,
  ) {
    return signedIn(context, info, context.services.auth.login(identifier, password, metadata(context)));
  }

  @Public()
  @Mutation(() => OtpChallenge, {
    description:
      'Sends a 6-digit sign-in code by SMS to the phone, registered or not (the answer is the same). RATE_LIMITED ' +
      '(with extensions.retryAfterSeconds) within 60 seconds of the last code or beyond 5 codes an hour for the phone. RATE_LIMITED (with extensions.retryAfterSeconds) when this client is making too many attempts.',
  })
  requestOtp(@Arg('phone', () => String, { description: 'An Indian mobile number in any accepted format.' }) phone: string, @Ctx() context: Context) {
    return context.services.otp.request(phone, context.clientIp);
  }

  @Public()
  @Mutation(() => AuthPayload, {
    description:
      'Signs in with the code sent by requestOtp. A phone with no user gets a new customer account (or claims the ' +
      'customer record staff created for it). INVALID_CREDENTIALS for a wrong, expired or used code; a code dies after 5 wrong ' +
      'tries. RATE_LIMITED (with extensions.retryAfterSeconds) when this client is making too many attempts.',
  })
  verifyOtp(
    @Arg('phone', () => String, { description: 'The phone the code was sent to, in any accepted format.' }) phone: string,
    @Arg('code', () => String, { description: 'The 6 digits received; valid 5 minutes, once.' }) code: string,
    @Ctx() context: Context,
    @Info() info: GraphQLResolveInfo,
  ) {
    return signedIn(context, info, context.services.otp.verify(phone, code, metadata(context)));
  }

  @Public()
  @Mutation(() => AuthPayload, {
    description:
      'Exchanges the refresh token for a new access token and a new refresh token (the old one stops working). ' +
      'UNAUTHENTICATED when the session has ended; presenting an already-used token ends the session, except within 10 seconds ' +
      'of its use (two tabs refreshing at once): REFRESH_RACE, retry with the newest token.',
  })
  refreshSession(
    @Arg('refreshToken', () => String, { description: 'The newest refresh token of the session.' }) refreshToken: string,
    @Ctx() context: Context,
    @Info() info: GraphQLResolveInfo,
  ) {
    return signedIn(context, info, context.services.auth.refresh(refreshToken));
  }

  @Auth([...ALL_ROLES])
  @Mutation(() => Boolean, {
    description: 'Ends the session of this refresh token: true when it was one of your sessions, false otherwise.',
  })
  logout(@Arg('refreshToken', () => String, { description: 'The refresh token of the session to end.' }) refreshToken: string, @Ctx() context: Context) {
    return context.services.auth.logout(context.viewer!, refreshToken);
  }

  @Auth([...ALL_ROLES])
  @Mutation(() => Boolean, { description: 'Ends every session of the signed-in user, this one included; always true.' })
  logoutAll(@Ctx() context: Context) {
    return context.services.auth.logoutAll(context.viewer!);
  }

  @Public()
  @Mutation(() => Boolean, {
    description:
      "Sends a single-use reset token (valid 30 minutes) to the account's email or phone. Always true, whether or not " +
      'the account exists. RATE_LIMITED (with extensions.retryAfterSeconds) when this client is making too many attempts.',
  })
  requestPasswordReset(
    @Arg('identifier', () => String, { description: 'The email or phone (any accepted format).' }) identifier: string,
    @Ctx() context: Context,
  ) {
    return context.services.auth.requestPasswordReset(identifier, context.clientIp);
  }

  @Public()
  @Mutation(() => Boolean, {
    description:
      'Sets a new password with a reset token and ends every session of the user; true on success. BAD_USER_INPUT ' +
      'for an invalid, used or expired token, or a password the policy refuses. RATE_LIMITED (with extensions.retryAfterSeconds) when this client is making too many attempts.',
  })
  resetPassword(
    @Arg('token', () => String, { description: 'The token from the reset message.' }) token: string,
    @Arg('newPassword', () => String, { description: '12 to 128 characters, not too easy to guess (the error says why).' }) newPassword: string,
    @Ctx() context: Context,
  ) {
    return context.services.auth.resetPassword(token, newPassword, context.clientIp);
  }

  @Auth([...ALL_ROLES])
  @Mutation(() => Boolean, {
    description:
      "Changes the signed-in user's password and ends the user's other sessions; true on success. " +
      'INVALID_CREDENTIALS when currentPassword is wrong (or the account has none).',
  })
  changePassword(
    @Arg('currentPassword', () => String, { description: 'The password in use now.' }) currentPassword: string,
    @Arg('newPassword', () => String, { description: '12 to 128 characters, not too easy to guess (the error says why).' })
    newPassword: string,
    @Ctx() context: Context,
  ) {
    return context.services.auth.changePassword(context.viewer!, currentPassword, newPassword);
  }

  @Auth([...ALL_ROLES])
  @Query(() => User, { nullable: true, description: 'The signed-in user, with the facets its roles give it.' })
  me(@Ctx() context: Context) {
    return context.loaders.userById.load(context.viewer!.userId);
  }

  @Auth(['ADMIN'])
  @Auth([...ALL_ROLES], { owner: true, scopedBy: 'viewer' })
  @Query(() => User, {
    nullable: true,
    description: 'A user by id: admins any, others only themselves; null otherwise, whether or not it exists.',
  })
  user(@Arg('id', () => ID, { description: "The user's id (User.id)." }) id: string, @Ctx() context: Context) {
    return context.services.userAdmin.userById(context.viewer!, id);
  }

  @Auth(['ADMIN', 'MARKETING_STAFF'])
  @Query(() => User, {
    nullable: true,
    description: 'The one user with this email or phone, with its facets; null when there is none.',
  })
  lookupUser(
    @Arg('identifier', () => String, { description: 'An email or an Indian mobile number in any accepted format; BAD_USER_INPUT otherwise.' })
    identifier: string,
    @Ctx() context: Context,
  ) {
    return context.services.userAdmin.lookup(identifier);
  }

  @Auth(['ADMIN'])
  @Query(() => UserConnection, { description: 'Every user, oldest first.' })
  users(
    @Args(() => PageArgs) page: PageArgs,
    @Arg('filter', () => UserFilter, { nullable: true, description: 'Narrows the list; every field given must match.' })
    filter: UserFilter | null,
    @Ctx() context: Context,
  ) {
    return context.services.userAdmin.list(page, filter);
  }

  @Auth(['ADMIN'])
  @Mutation(() => User, {
    description:
      'Creates an account with any roles and their facets (defaults where not given). CONFLICT when the email or phone ' +
      `is taken. Audit-logged. ${STEP_UP_NOTE}`,
  })
  createStaffUser(@Arg('input', () => CreateStaffUserInput, { description: 'The new account.' }) input: CreateStaffUserInput, @Ctx() context: Context) {
    requireRecentSecondFactor(context.viewer!, context.clock.now());
    return context.services.userAdmin.createStaffUser(context.viewer!, input);
  }

  @Auth(['ADMIN'])
  @Mutation(() => User, {
    description:
      "Replaces a user's roles; a granted facet role creates its facet if missing, a removed one keeps the facet and " +
      "its history. Takes effect on the user's next request. NOT_FOUND for an unknown user. Audit-logged. " +
      STEP_UP_NOTE,
  })
  setUserRoles(
    @Arg('userId', () => ID, { description: 'The user (User.id).' }) userId: string,
    @Arg('roles', () => [Role], { description: 'The complete new set; you cannot remove your own ADMIN (BAD_USER_INPUT).' }) roles: Role[],
    @Ctx() context: Context,
  ) {
    requireRecentSecondFactor(context.viewer!, context.clock.now());
    return context.services.userAdmin.setUserRoles(context.viewer!, userId, roles);
  }

  @Auth(['ADMIN'])
  @Mutation(() => User, {
    description: "Sets a user's status; any status but ACTIVE ends all the user's sessions. NOT_FOUND for an unknown user. " + `Audit-logged. ${STEP_UP_NOTE}`,
  })
  setUserStatus(
    @Arg('userId', () => ID, { description: 'The user (User.id).' }) userId: string,
    @Arg('status', () => UserStatus, {
      description: 'ACTIVE, DISABLED or ARCHIVED; LOCKED is refused (BAD_USER_INPUT), as is disabling your own account.',
    })
    status: UserStatus,
    @Ctx() context: Context,
  ) {
    requireRecentSecondFactor(context.viewer!, context.clock.now());
    return context.services.userAdmin.setUserStatus(context.viewer!, userId, status);
  }

  @Auth(['ADMIN'])
  @Mutation(() => User, {
    description: 'Lifts a password lockout and clears the count of wrong passwords. NOT_FOUND for an unknown user. Audit-logged. ' + STEP_UP_NOTE,
  })
  unlockUser(@Arg('userId', () => ID, { description: 'The user (User.id).' }) userId: string, @Ctx() context: Context) {
    requireRecentSecondFactor(context.viewer!, context.clock.now());
    return context.services.userAdmin.unlockUser(context.viewer!, userId);
  }
}
