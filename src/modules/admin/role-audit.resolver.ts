import type { GraphQLResolveInfo } from 'graphql';
import { Field, Info, ObjectType, Query, Resolver } from 'type-graphql';
import { Auth, Public } from '../../auth/directives.js';
import { roleAuditRows } from '../../auth/role-audit.js';
import { Role } from '../../auth/roles.js';

@ObjectType({ simpleResolvers: true, description: 'One grant of one field, read from its @auth or @public directive: who may use it.' })
class FieldAccess {
  @Public() @Field(() => String, { description: 'The type the field is on, e.g. Query or Customer.' }) typeName!: string;
  @Public() @Field(() => String, { description: 'The field, e.g. customers or phone.' }) fieldName!: string;
  @Public()
  @Field(() => [Role], { description: 'The roles this grant admits (ADMIN passes every grant); empty when public.' })
  roles!: Role[];
  @Public() @Field(() => Boolean, { description: 'True when the grant admits those roles only on records they own.' }) owner!: boolean;
  @Public()
  @Field(() => Boolean, { description: 'True for @public: no check of its own (anyone, or whoever reached the value).' })
  public!: boolean;
}

@Resolver()
export class RoleAuditResolver {
  @Auth(['ADMIN'])
  @Query(() => [FieldAccess], { description: 'Every operation and field with the roles that may use it: one row per grant, as docs/ROLE_AUDIT.md lists them.' })
  roleAudit(@Info() info: GraphQLResolveInfo): FieldAccess[] {
    // The schema being executed carries the same directives as the printed one.
    return roleAuditRows(info.schema) as FieldAccess[];
  }
}
