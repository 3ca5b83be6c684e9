// The grants the decorators record are what the server enforces: they are the data the rules come from,
// they print as the schema's directives, and a grant that cannot be enforced stops the schema at start-up.
import 'reflect-metadata';
import { GraphQLSchema, isObjectType, print, specifiedDirectives } from 'graphql';
import { Field, ID, ObjectType, Query, Resolver, buildSchema } from 'type-graphql';
import { describe, expect, it } from 'vitest';
import { applyAuthorization, listFieldAccess } from '../../src/auth/authorization.js';
import { Auth, Public } from '../../src/auth/directives.js';
import { moduleOwnership } from '../../src/modules/all.js';
import { buildBaseSchema } from '../../src/server/schema.js';

@ObjectType('Parcel')
class Parcel {
  @Auth(['ADMIN'])
  @Auth(['CUSTOMER'], { owner: true })
  @Field(() => ID)
  id!: string;

  @Public()
  @Field(() => String)
  label!: string;
}

@Resolver()
class UnscopedParcelResolver {
  @Auth(['ADMIN'])
  @Auth(['CUSTOMER'], { owner: true })
  @Query(() => Parcel, { nullable: true })
  parcel(): Parcel | null {
    return null;
  }
}

@Resolver()
class ScopedParcelResolver {
  @Auth(['ADMIN'])
  @Auth(['CUSTOMER'], { owner: true, scopedBy: 'viewer' })
  @Query(() => Parcel, { nullable: true })
  myParcel(): Parcel | null {
    return null;
  }
}

const parcelOwnership = { Parcel: () => true };

describe('authorization from the recorded grants', () => {
  it('refuses to start when an owner grant on a root field does not say the service scopes it by the viewer', async () => {
    const schema = await buildSchema({ resolvers: [UnscopedParcelResolver], validate: false });
    expect(() => applyAuthorization(schema, parcelOwnership)).toThrow(
      "owner grants on root fields without scopedBy: 'viewer': Query.parcel. A root field has no record to check; " +
        "its service must answer only the viewer's rows, and the grant must say so: @Auth(roles, { owner: true, scopedBy: 'viewer' })",
    );
  });

  it('starts when the root owner grant declares the scope, and records the grants in the order they are written', async () => {
    const schema = await buildSchema({ resolvers: [ScopedParcelResolver], validate: false });
    expect(applyAuthorization(schema, parcelOwnership)).toBeInstanceOf(GraphQLSchema);
    expect(listFieldAccess(schema)).toEqual([
      {
        typeName: 'Query',
        fieldName: 'myParcel',
        isPublic: false,
        grants: [
          { roles: ['ADMIN'], owner: false },
          { roles: ['CUSTOMER'], owner: true, scopedBy: 'viewer' },
        ],
      },
      {
        typeName: 'Parcel',
        fieldName: 'id',
        isPublic: false,
        grants: [
          { roles: ['ADMIN'], owner: false },
          { roles: ['CUSTOMER'], owner: true },
        ],
      },
      { typeName: 'Parcel', fieldName: 'label', isPublic: true, grants: [] },
    ]);
  });

  it('refuses to start when a record type with owner grants has no ownership check', async () => {
    const schema = await buildSchema({ resolvers: [ScopedParcelResolver], validate: false });
    expect(() => applyAuthorization(schema, {})).toThrow('Parcel has owner grants but no ownership check');
  });

  it('refuses scopedBy without owner when the decorator is written', () => {
    expect(() => Auth(['CUSTOMER'], { scopedBy: 'viewer' })).toThrow('@Auth([CUSTOMER]): scopedBy applies to owner grants only');
  });

  it('gives the application schema the same grants its printed directives show', async () => {
    const schema: GraphQLSchema = await buildBaseSchema();
    let fields = 0;
    for (const type of Object.values(schema.getTypeMap())) {
      if (!isObjectType(type) || type.name.startsWith('__')) continue;
      for (const field of Object.values(type.getFields())) {
        const recorded = field.extensions.authorization!;
        const expected = [
          ...recorded.grants.map((grant) => `@auth(roles: [${grant.roles.join(', ')}]${grant.owner ? ', owner: true' : ''})`),
          ...(recorded.isPublic ? ['@public'] : []),
        ];
        expect(
          (field.astNode?.directives ?? []).map((directive) => print(directive)),
          `${type.name}.${field.name}`,
        ).toEqual(expected);
        fields += 1;
      }
    }
    expect(fields).toBe(listFieldAccess(schema).length);
    expect(() => applyAuthorization(new GraphQLSchema({ ...schema.toConfig(), directives: [...specifiedDirectives] }), moduleOwnership())).not.toThrow();
  });
});
