// The role decorators of SPEC §3. Each one records its grant as data on the field (the `authorization`
// extension that src/auth/authorization.ts reads) and prints the matching directive in schema.graphql, so the
// printed schema says what the server enforces. `@auth` is repeatable: each one is a grant, and a caller passes
// when any grant admits them. ADMIN passes every grant.
//   @Auth(['ADMIN', 'MARKETING_STAFF'])        @auth(roles: [ADMIN, MARKETING_STAFF])
//   @Auth(['CUSTOMER'], { owner: true })        @auth(roles: [CUSTOMER], owner: true): only on records they own
//   @Auth(['CUSTOMER'], { owner: true, scopedBy: 'viewer' })
//                                               the same on a root field, whose rows the service scopes by the
//                                               viewer (`scopedBy` is data only and is not printed)
//   @Public()                                   @public: no check of its own
import 'reflect-metadata';
import { DirectiveLocation, GraphQLBoolean, GraphQLDirective, GraphQLList, GraphQLNonNull, type GraphQLEnumType } from 'graphql';
import { Directive, Extensions } from 'type-graphql';
import type { Role } from './roles.js';

export interface AuthGrant {
  roles: Role[];
  owner: boolean;
  /** On a root field: the service answers only the viewer's rows, so the grant admits the role itself. */
  scopedBy?: 'viewer';
}

/** What the decorators of one field recorded: the value of its `authorization` extension. */
export interface FieldAuthorization {
  isPublic: boolean;
  /** In the order the decorators are written (and the directives printed). */
  grants: AuthGrant[];
}

declare module 'graphql' {
  interface GraphQLFieldExtensions<_TSource, _TContext, _TArgs> {
    authorization?: FieldAuthorization;
  }
}

export interface AuthOptions {
  /** Only on records the caller owns (for a delivery boy, also the customers assigned to him). */
  owner?: boolean;
  /** Required with `owner` on a Query/Mutation field: the service scopes the rows by the viewer. */
  scopedBy?: 'viewer';
}

// One record per field of a class (decorators of a field run once, when its class is defined). Every decorator
// of the field hands type-graphql the same object, so its extension carries all of the field's grants
// whichever decorator's extension type-graphql keeps.
const recorded = new WeakMap<object, Map<string, FieldAuthorization>>();

function authorizationOf(prototype: object, fieldName: string): FieldAuthorization {
  let byField = recorded.get(prototype);
  if (!byField) recorded.set(prototype, (byField = new Map<string, FieldAuthorization>()));
  let authorization = byField.get(fieldName);
  if (!authorization) byField.set(fieldName, (authorization = { isPublic: false, grants: [] }));
  return authorization;
}

type FieldDecorator = MethodDecorator & PropertyDecorator;

function fieldDecorator(sdl: string, record: (authorization: FieldAuthorization) => void): FieldDecorator {
  const printed = Directive(sdl);
  return (prototype: object, fieldName: string | symbol, descriptor?: PropertyDescriptor) => {
    if (typeof fieldName !== 'string') throw new Error(`${sdl} needs a field with a string name`);
    const authorization = authorizationOf(prototype, fieldName);
    record(authorization);
    for (const decorator of [Extensions({ authorization }), printed] as FieldDecorator[]) {
      if (descriptor) decorator(prototype, fieldName, descriptor);
      else decorator(prototype, fieldName);
    }
  };
}

export function Auth(roles: Role[], options: AuthOptions = {}): FieldDecorator {
  if (roles.length === 0) throw new Error('@Auth needs at least one role');
  if (options.scopedBy !== undefined && !options.owner) throw new Error(`@Auth([${roles.join(', ')}]): scopedBy applies to owner grants only`);
  const grant: AuthGrant = { roles: [...roles], owner: options.owner === true, ...(options.scopedBy ? { scopedBy: options.scopedBy } : {}) };
  const owner = grant.owner ? ', owner: true' : '';
  // Decorators run bottom-up: each grant goes in front, so the list reads in the order the source does.
  return fieldDecorator(`@auth(roles: [${roles.join(', ')}]${owner})`, (authorization) => authorization.grants.unshift(grant));
}

export function Public(): FieldDecorator {
  return fieldDecorator('@public', (authorization) => {
    authorization.isPublic = true;
  });
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
