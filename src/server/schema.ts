// Builds the GraphQL schema from the modules' type-graphql resolvers, adds the directive definitions so
// the printed schema shows who may use each field, and derives authorization from those directives.
import { printSchemaWithDirectives } from '@graphql-tools/utils';
import { GraphQLSchema, isEnumType, lexicographicSortSchema, specifiedDirectives } from 'graphql';
import { buildSchema, type NonEmptyArray } from 'type-graphql';
import { createAuthDirectives } from '../auth/directives.js';
import { applyAuthorization } from '../auth/authorization.js';
import { MoneyResolver } from '../graphql/money.type.js';
import { DateScalar, DateTimeScalar } from '../graphql/scalars.js';
import { withAccessDescriptions } from './ide/access-descriptions.js';
import { moduleOwnership, moduleResolvers } from '../modules/all.js';
import type { ResolverClass } from '../modules/module.js';

let built: Promise<GraphQLSchema> | undefined;

/** The schema with its directives and no authorization applied: what `schema.graphql` prints. */
export function buildBaseSchema(): Promise<GraphQLSchema> {
  built ??= (async () => {
    const schema = await buildSchema({
      resolvers: [MoneyResolver, ...moduleResolvers()] satisfies NonEmptyArray<ResolverClass>,
      scalarsMap: [{ type: Date, scalar: DateTimeScalar }],
      orphanedTypes: [],
      validate: false,
    });
    const roleType = schema.getType('Role');
    if (!isEnumType(roleType)) throw new Error('the Role enum is missing');
    // type-graphql builds the root types itself and takes no description for them.
    schema.getQueryType()!.description = 'What can be read. Each field says who may use it (@auth/@public) and when it is null.';
    schema.getMutationType()!.description =
      'What can be changed. Each field says who may use it (@auth/@public) and the errors ' + 'to expect; every error carries extensions.code.';
    return new GraphQLSchema({
      ...schema.toConfig(),
      types: [...schema.toConfig().types, DateScalar],
      directives: [...specifiedDirectives, ...createAuthDirectives(roleType)],
    });
  })();
  return built;
}

/** What the server runs: the rules derived from the directives, and each rule also in its field's description (for the IDE). */
export async function buildProtectedSchema(): Promise<GraphQLSchema> {
  return applyAuthorization(withAccessDescriptions(await buildBaseSchema()), moduleOwnership());
}

export async function printAppSchema(): Promise<string> {
  return `${printSchemaWithDirectives(lexicographicSortSchema(await buildBaseSchema()))}\n`;
}
