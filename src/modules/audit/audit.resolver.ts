import { Arg, Args, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import { Auth } from '../../auth/directives.js';
import type { Context } from '../context.js';
import { PageArgs } from '../../graphql/connection.type.js';
import { User } from '../identity/index.js';
import { AuditEntry, AuditEntryConnection } from './audit.type.js';

interface AuditRow {
  actorUserId: string | null;
  targetUserId: string | null;
  entityType: string;
  entityId: string;
  details: unknown;
}

const changeOf = (row: AuditRow, side: 'before' | 'after'): string | null => {
  const value = (row.details as Record<string, unknown> | null)?.[side];
  return value === null || value === undefined ? null : JSON.stringify(value);
};

@Resolver(() => AuditEntry)
export class AuditResolver {
  @Auth(['ADMIN'])
  @Query(() => AuditEntryConnection, { description: 'The audit trail, newest first; every filter given must match.' })
  auditLog(
    @Args(() => PageArgs) page: PageArgs,
    @Arg('actorId', () => ID, { nullable: true, description: 'Only changes made by this user (User.id).' }) actorId: string | null,
    @Arg('targetUserId', () => ID, { nullable: true, description: "Only changes to this user's data (User.id)." }) targetUserId: string | null,
    @Arg('action', () => String, { nullable: true, description: 'Only this action, e.g. `user.set-roles`; BAD_USER_INPUT for an unknown one.' })
    action: string | null,
    @Arg('from', () => Date, { nullable: true, description: 'Only changes at or after this instant.' }) from: Date | null,
    @Arg('to', () => Date, { nullable: true, description: 'Only changes before this instant; must be later than from.' }) to: Date | null,
    @Ctx() context: Context,
  ) {
    return context.services.audit.list(page, { actorId, targetUserId, action, from, to });
  }

  @Auth(['ADMIN'])
  @FieldResolver(() => ID, { nullable: true, description: 'The user who made the change (User.id); null for the command line and the importer.' })
  actorId(@Root() row: AuditRow) {
    return row.actorUserId;
  }

  @Auth(['ADMIN'])
  @FieldResolver(() => User, { nullable: true, description: 'The user who made the change; null for the command line and the importer.' })
  actor(@Root() row: AuditRow, @Ctx() context: Context) {
    return row.actorUserId ? context.loaders.userById.load(row.actorUserId) : null;
  }

  @Auth(['ADMIN'])
  @FieldResolver(() => User, { nullable: true, description: "The user whose data changed; null when it is no one user's." })
  target(@Root() row: AuditRow, @Ctx() context: Context) {
    return row.targetUserId ? context.loaders.userById.load(row.targetUserId) : null;
  }

  @Auth(['ADMIN'])
  @FieldResolver(() => String, { description: 'The kind of record that changed, e.g. User, Session, Payout.' })
  subjectType(@Root() row: AuditRow) {
    return row.entityType;
  }

  @Auth(['ADMIN'])
  @FieldResolver(() => ID, { description: 'The id of the record that changed.' })
  subjectId(@Root() row: AuditRow) {
    return row.entityId;
  }

  @Auth(['ADMIN'])
  @FieldResolver(() => String, { nullable: true, description: 'What the changed values were before, as a JSON object; null when the record is new.' })
  before(@Root() row: AuditRow) {
    return changeOf(row, 'before');
  }

  @Auth(['ADMIN'])
  @FieldResolver(() => String, { nullable: true, description: 'What the changed values are after, as a JSON object; null when the record ended.' })
  after(@Root() row: AuditRow) {
    return changeOf(row, 'after');
  }
}
