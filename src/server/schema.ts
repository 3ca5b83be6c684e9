// Builds the GraphQL schema from the modules' type-graphql resolvers, adds the directive definitions so
// the printed schema shows who may use each field, and derives authorization from those directives.
import { printSchemaWithDirectives } from '@graphql-tools/utils';
import { GraphQLSchema, isEnumType, lexicographicSortSchema, specifiedDirectives } from 'graphql';
import { buildSchema, type NonEmptyArray } from 'type-graphql';
import { createAuthDirectives } from '../auth/directives.js';
import { applyAuthorization, type OwnershipChecks } from '../auth/rules.js';
import { customerOwnership } from '../modules/customers/index.js';
import { deliveryOwnership } from '../modules/delivery/index.js';
import { identityOwnership, IdentityResolver, UserFieldResolver } from '../modules/identity/index.js';
import { supplierOwnership } from '../modules/suppliers/index.js';
import { DateScalar, DateTimeScalar } from '../shared/graphql/scalars.js';

const RESOLVERS: NonEmptyArray<Function> = [IdentityResolver, UserFieldResolver];

export const OWNERSHIP: OwnershipChecks = {
  ...identityOwnership,
  ...customerOwnership,
  ...deliveryOwnership,
  ...supplierOwnership,
};

let built: Promise<GraphQLSchema> | undefined;

/** The schema with its directives and no authorization applied: what `schema.graphql` prints. */
export function buildBaseSchema(): Promise<GraphQLSchema> {
  built ??= (async () => {
    const schema = await buildSchema({
      resolvers: RESOLVERS,
      scalarsMap: [{ type: Date, scalar: DateTimeScalar }],
      orphanedTypes: [],
      validate: false,
    });
    const roleType = schema.getType('Role');
    if (!isEnumType(roleType)) throw new Error('the Role enum is missing');
    return new GraphQLSchema({
      ...schema.toConfig(),
      types: [...schema.toConfig().types, DateScalar],
      directives: [...specifiedDirectives, ...createAuthDirectives(roleType)],
    });
  })();
  return built;
}

export async function buildProtectedSchema(): Promise<GraphQLSchema> {
  return applyAuthorization(await buildBaseSchema(), OWNERSHIP);
}

export async function printAppSchema(): Promise<string> {
  return `${printSchemaWithDirectives(lexicographicSortSchema(await buildBaseSchema()))}\n`;
}
