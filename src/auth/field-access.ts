// Reads the @auth/@public directives back from the built schema: the input of rule derivation, of the
// role audit (docs/ROLE_AUDIT.md, `roleAudit`) and of the test that no field is left without a directive.
import { isIntrospectionType, isObjectType, Kind, type GraphQLField, type GraphQLSchema } from 'graphql';
import type { AuthGrant } from './directives.js';
import type { Role } from './roles.js';

export interface FieldAccessEntry {
  typeName: string;
  fieldName: string;
  isPublic: boolean;
  grants: AuthGrant[];
}

function readGrants(field: GraphQLField<unknown, unknown>): { isPublic: boolean; grants: AuthGrant[] } {
  const grants: AuthGrant[] = [];
  let isPublic = false;
  for (const directive of field.astNode?.directives ?? []) {
    if (directive.name.value === 'public') isPublic = true;
    if (directive.name.value !== 'auth') continue;
    let roles: Role[] = [];
    let owner = false;
    for (const argument of directive.arguments ?? []) {
      if (argument.name.value === 'roles' && argument.value.kind === Kind.LIST) {
        roles = argument.value.values.flatMap((value) => (value.kind === Kind.ENUM ? [value.value as Role] : []));
      }
      if (argument.name.value === 'owner' && argument.value.kind === Kind.BOOLEAN) owner = argument.value.value;
    }
    grants.push({ roles, owner });
  }
  return { isPublic, grants };
}

export function listFieldAccess(schema: GraphQLSchema): FieldAccessEntry[] {
  const entries: FieldAccessEntry[] = [];
  const roots = [schema.getQueryType(), schema.getMutationType()].filter(Boolean).map((type) => type!.name);
  const types = Object.values(schema.getTypeMap())
    .filter((type) => isObjectType(type) && !isIntrospectionType(type))
    .sort((a, b) => {
      const rank = (name: string) => (roots.includes(name) ? roots.indexOf(name) : roots.length);
      return rank(a.name) - rank(b.name) || a.name.localeCompare(b.name);
    });
  for (const type of types) {
    if (!isObjectType(type)) continue;
    for (const field of Object.values(type.getFields())) {
      entries.push({ typeName: type.name, fieldName: field.name, ...readGrants(field) });
    }
  }
  return entries;
}

/** Fields that carry neither @auth nor @public: a schema with any of these must not start. */
export function fieldsWithoutDirective(schema: GraphQLSchema): string[] {
  return listFieldAccess(schema)
    .filter((entry) => !entry.isPublic && entry.grants.length === 0)
    .map((entry) => `${entry.typeName}.${entry.fieldName}`);
}
