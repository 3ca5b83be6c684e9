// The role directives of SPEC §3, the single source of authorization. `@auth` is repeatable: each one is a
// grant, and a caller passes when any grant admits them. ADMIN passes every grant.
//   @auth(roles: [ADMIN, MARKETING_STAFF])            holders of a listed role
//   @auth(roles: [CUSTOMER, DELIVERY_BOY], owner: true) holders of a listed role, only for records they own
//                                                       (or, for a delivery boy, customers assigned to him)
//   @public                                            no check of its own: root operations anyone may call,
//                                                       or value fields reachable only through a checked field
import 'reflect-metadata';
import { DirectiveLocation, GraphQLBoolean, GraphQLDirective, GraphQLList, GraphQLNonNull, type GraphQLEnumType } from 'graphql';
import { Directive } from 'type-graphql';
import type { Role } from './roles.js';

export interface AuthGrant {
  roles: Role[];
  owner: boolean;
}

export function Auth(roles: Role[], options: { owner?: boolean } = {}): MethodDecorator & PropertyDecorator {
  if (roles.length === 0) throw new Error('@Auth needs at least one role');
  const owner = options.owner ? ', owner: true' : '';
  return Directive(`@auth(roles: [${roles.join(', ')}]${owner})`) as MethodDecorator & PropertyDecorator;
}

export function Public(): MethodDecorator & PropertyDecorator {
  return Directive('@public') as MethodDecorator & PropertyDecorator;
}

export function createAuthDirectives(roleEnum: GraphQLEnumType): GraphQLDirective[] {
  return [
    new GraphQLDirective({
      name: 'auth',
      description: 'Who may use this field: holders of one of `roles` (ADMIN always); with `owner`, only on their own records.',
      isRepeatable: true,
      locations: [DirectiveLocation.FIELD_DEFINITION],
      args: {
        roles: {
          type: new GraphQLNonNull(new GraphQLList(new GraphQLNonNull(roleEnum))),
          description: 'The roles this grant admits; a caller holding any of them passes (ADMIN always does).',
        },
        owner: {
          type: GraphQLBoolean,
          defaultValue: false,
          description: 'When true, only on records the caller owns (for a delivery boy, also the customers assigned to him).',
        },
      },
    }),
    new GraphQLDirective({
      name: 'public',
      description: 'No check of its own: an operation anyone may call, or a value reachable only through a checked field.',
      locations: [DirectiveLocation.FIELD_DEFINITION],
    }),
  ];
}
