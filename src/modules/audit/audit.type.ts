import { Field, ID, ObjectType } from 'type-graphql';
import { Auth } from '../../auth/directives.js';
import { ConnectionType } from '../../graphql/connection.type.js';

@ObjectType({ simpleResolvers: true, description: 'One change recorded in the audit trail: who did what to whose data, and what it was before and after.' })
export class AuditEntry {
  @Auth(['ADMIN'])
  @Field(() => ID, { description: "The entry's id." })
  id!: string;

  @Auth(['ADMIN'])
  @Field(() => Date, { description: 'When the change was made.' })
  at!: Date;

  @Auth(['ADMIN'])
  @Field(() => String, { description: 'What was done, e.g. `user.set-roles`; the list is in docs/authentication.md (Audit trail).' })
  action!: string;

  @Auth(['ADMIN'])
  @Field(() => ID, {
    nullable: true,
    description: "The user whose data changed (User.id); null when it is no one user's (a sweep, a customer who has no login).",
  })
  targetUserId!: string | null;
}

export const AuditEntryConnection = ConnectionType('AuditEntry', AuditEntry);
