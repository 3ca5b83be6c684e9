import { Args, Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Auth } from '../../auth/directives.js';
import { ALL_ROLES } from '../../auth/roles.js';
import type { Context } from '../context.js';
import { PageArgs } from '../../graphql/connection.type.js';
import { SessionConnection } from './session.type.js';
import { User } from './user.type.js';

@Resolver()
export class SessionResolver {
  @Auth([...ALL_ROLES])
  @Query(() => SessionConnection, { description: "The signed-in user's live sessions (one per signed-in device), newest sign-in first." })
  mySessions(@Args(() => PageArgs) page: PageArgs, @Ctx() context: Context) {
    const viewer = context.viewer!;
    return context.services.sessions.listLive(viewer.userId, page, viewer.sessionId, context.clock.now());
  }

  @Auth([...ALL_ROLES])
  @Mutation(() => Boolean, {
    description:
      "Ends one session (its refresh token stops working, its access token on the next request): your own, or anyone's " +
      'for an admin, which is audit-logged. True when it ended now, false when it had already ended. NOT_FOUND for an unknown id ' +
      "or another user's session.",
  })
  revokeSession(@Arg('id', () => ID, { description: 'The session (Session.id).' }) id: string, @Ctx() context: Context) {
    return context.services.sessions.revokeOne(context.viewer!, id, context.clock.now());
  }

  @Auth([...ALL_ROLES])
  @Mutation(() => Int, { description: 'Ends every session of the signed-in user except this one; how many were ended.' })
  logoutOthers(@Ctx() context: Context) {
    return context.services.auth.logoutOthers(context.viewer!);
  }
}

@Resolver(() => User)
export class UserSessionsResolver {
  @Auth(['ADMIN'])
  @FieldResolver(() => SessionConnection, { description: "The user's live sessions, newest sign-in first (admins only)." })
  sessions(@Root() user: { id: string }, @Args(() => PageArgs) page: PageArgs, @Ctx() context: Context) {
    return context.services.sessions.listLive(user.id, page, context.viewer!.sessionId, context.clock.now());
  }
}
