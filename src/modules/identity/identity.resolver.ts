import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Ctx, ID, Info, Int, Mutation, Query, Resolver } from 'type-graphql';
import { Auth, Public } from '../../auth/directives.js';
import { ALL_ROLES, Role } from '../../auth/roles.js';
import { recordIssuedViewer } from '../../auth/viewer.js';
import type { Context } from '../../server/context.js';
import type { AuthResult } from './auth.service.js';
import { CreateStaffUserInput, RegisterInput, UserFilter } from './identity.input.js';
import { AuthPayload, OtpChallenge, User, UserConnection, UserStatus } from './user.type.js';

const metadata = (context: Context) => ({ clientIp: context.clientIp, userAgent: context.userAgent });

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
  @Mutation(() => AuthPayload)
  register(@Arg('input', () => RegisterInput) input: RegisterInput, @Ctx() context: Context, @Info() info: GraphQLResolveInfo) {
    return signedIn(context, info, context.services.auth.register(input, metadata(context)));
  }

  @Public()
  @Mutation(() => AuthPayload)
  login(
    @Arg('identifier', () => String) identifier: string,
    @Arg('password', () => String) password: string,
    @Ctx() context: Context,
    @Info() info: GraphQLResolveInfo,
  ) {
    return signedIn(context, info, context.services.auth.login(identifier, password, metadata(context)));
  }

  @Public()
  @Mutation(() => OtpChallenge)
  requestOtp(@Arg('phone', () => String) phone: string, @Ctx() context: Context) {
    return context.services.otp.request(phone, context.clientIp);
  }

  @Public()
  @Mutation(() => AuthPayload)
  verifyOtp(@Arg('phone', () => String) phone: string, @Arg('code', () => String) code: string, @Ctx() context: Context, @Info() info: GraphQLResolveInfo) {
    return signedIn(context, info, context.services.otp.verify(phone, code, metadata(context)));
  }

  @Public()
  @Mutation(() => AuthPayload)
  refreshSession(@Arg('refreshToken', () => String) refreshToken: string, @Ctx() context: Context, @Info() info: GraphQLResolveInfo) {
    return signedIn(context, info, context.services.auth.refresh(refreshToken, metadata(context)));
  }

  @Auth([...ALL_ROLES])
  @Mutation(() => Boolean)
  logout(@Arg('refreshToken', () => String) refreshToken: string, @Ctx() context: Context) {
    return context.services.auth.logout(context.viewer!, refreshToken);
  }

  @Auth([...ALL_ROLES])
  @Mutation(() => Boolean)
  logoutAll(@Ctx() context: Context) {
    return context.services.auth.logoutAll(context.viewer!);
  }

  @Public()
  @Mutation(() => Boolean)
  requestPasswordReset(@Arg('identifier', () => String) identifier: string, @Ctx() context: Context) {
    return context.services.auth.requestPasswordReset(identifier, context.clientIp);
  }

  @Public()
  @Mutation(() => Boolean)
  resetPassword(@Arg('token', () => String) token: string, @Arg('newPassword', () => String) newPassword: string, @Ctx() context: Context) {
    return context.services.auth.resetPassword(token, newPassword, context.clientIp);
  }

  @Auth([...ALL_ROLES])
  @Mutation(() => Boolean)
  changePassword(
    @Arg('currentPassword', () => String) currentPassword: string,
    @Arg('newPassword', () => String) newPassword: string,
    @Ctx() context: Context,
  ) {
    return context.services.auth.changePassword(context.viewer!, currentPassword, newPassword);
  }

  @Auth([...ALL_ROLES])
  @Query(() => User, { nullable: true, description: 'The signed-in user.' })
  me(@Ctx() context: Context) {
    return context.loaders.userById.load(context.viewer!.userId);
  }

  @Auth(['ADMIN'])
  @Auth([...ALL_ROLES], { owner: true })
  @Query(() => User, { nullable: true, description: 'A user by id: admins any, others only themselves.' })
  user(@Arg('id', () => ID) id: string, @Ctx() context: Context) {
    return context.services.userAdmin.userById(context.viewer!, id);
  }

  @Auth(['ADMIN', 'MARKETING_STAFF'])
  @Query(() => User, { nullable: true, description: 'The one user with this email or phone (any accepted format).' })
  lookupUser(@Arg('identifier', () => String) identifier: string, @Ctx() context: Context) {
    return context.services.userAdmin.lookup(identifier);
  }

  @Auth(['ADMIN'])
  @Query(() => UserConnection)
  users(
    @Arg('first', () => Int, { nullable: true }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Arg('filter', () => UserFilter, { nullable: true }) filter: UserFilter | null,
    @Ctx() context: Context,
  ) {
    return context.services.userAdmin.list(first, after, filter);
  }

  @Auth(['ADMIN'])
  @Mutation(() => User)
  createStaffUser(@Arg('input', () => CreateStaffUserInput) input: CreateStaffUserInput, @Ctx() context: Context) {
    return context.services.userAdmin.createStaffUser(context.viewer!, input);
  }

  @Auth(['ADMIN'])
  @Mutation(() => User)
  setUserRoles(@Arg('userId', () => ID) userId: string, @Arg('roles', () => [Role]) roles: Role[], @Ctx() context: Context) {
    return context.services.userAdmin.setUserRoles(context.viewer!, userId, roles);
  }

  @Auth(['ADMIN'])
  @Mutation(() => User)
  setUserStatus(@Arg('userId', () => ID) userId: string, @Arg('status', () => UserStatus) status: UserStatus, @Ctx() context: Context) {
    return context.services.userAdmin.setUserStatus(context.viewer!, userId, status);
  }

  @Auth(['ADMIN'])
  @Mutation(() => User)
  unlockUser(@Arg('userId', () => ID) userId: string, @Ctx() context: Context) {
    return context.services.userAdmin.unlockUser(context.viewer!, userId);
  }
}
