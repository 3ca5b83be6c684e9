import { Field, ObjectType, Query, Resolver } from 'type-graphql';
import { Auth, Public } from '../../auth/directives.js';
import { roleAuditRows } from '../../auth/role-audit.js';
import { Role } from '../../auth/roles.js';

@ObjectType({ description: 'One grant of one field, read from the role directives (SPEC §3).' })
export class FieldAccess {
  @Public() @Field(() => String) typeName!: string;
  @Public() @Field(() => String) fieldName!: string;
  @Public() @Field(() => [Role]) roles!: Role[];
  @Public() @Field(() => Boolean) owner!: boolean;
  @Public() @Field(() => Boolean) public!: boolean;
}

@Resolver()
export class RoleAuditResolver {
  @Auth(['ADMIN'])
  @Query(() => [FieldAccess], { description: 'Every operation and field with the roles that may use it.' })
  async roleAudit(): Promise<FieldAccess[]> {
    // Imported lazily: the schema module imports this resolver.
    const { buildBaseSchema } = await import('../../server/schema.js');
    return roleAuditRows(await buildBaseSchema()) as FieldAccess[];
  }
}
