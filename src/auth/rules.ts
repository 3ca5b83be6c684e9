// Derives the graphql-shield rule map from the @auth/@public directives at start-up. Shield runs with
// `fallbackRule: deny`, passes resolver errors through, and wraps only the fields that carry a grant:
// @public fields get no wrapper at all (a wrapper on every field costs several times on big lists).
import type { GraphQLSchema } from 'graphql';
import { applyMiddleware } from 'graphql-middleware';
import { allow, deny, rule, shield } from 'graphql-shield';
import type { IRules } from 'graphql-shield';
import { forbidden, unauthenticated } from '../shared/errors.js';
import type { Context } from '../server/context.js';
import type { AuthGrant } from './directives.js';
import { fieldsWithoutDirective, listFieldAccess } from './field-access.js';
import type { Role } from './roles.js';
import { viewerFor, type Viewer } from './viewer.js';

/** Does `parent` (an object of this type) belong to the viewer acting as `role`? */
export type OwnershipCheck = (
  viewer: Viewer,
  parent: any,
  role: Role,
  context: Context,
) => boolean | Promise<boolean>;

export type OwnershipChecks = Record<string, OwnershipCheck>;

function grantRule(typeName: string, grants: AuthGrant[], isRoot: boolean, ownership: OwnershipChecks) {
  const ownerCheck = ownership[typeName];
  if (!isRoot && grants.some((grant) => grant.owner) && !ownerCheck) {
    throw new Error(`${typeName} has owner grants but no ownership check`);
  }
  return rule({ cache: 'no_cache' })(async (parent, _args, context: Context) => {
    const viewer = viewerFor(context, parent);
    if (!viewer) return context.authError ?? unauthenticated();
    if (viewer.roles.has('ADMIN')) return true;
    for (const grant of grants) {
      for (const role of grant.roles) {
        if (!viewer.roles.has(role)) continue;
        // On root fields the owner grant admits the role; the service then scopes rows to the viewer.
        if (!grant.owner || isRoot) return true;
        if (await ownerCheck!(viewer, parent, role, context)) return true;
      }
    }
    return forbidden();
  });
}

export function applyAuthorization(schema: GraphQLSchema, ownership: OwnershipChecks): GraphQLSchema {
  const missing = fieldsWithoutDirective(schema);
  if (missing.length > 0) throw new Error(`fields without @auth or @public: ${missing.join(', ')}`);
  const rootNames = new Set([schema.getQueryType()?.name, schema.getMutationType()?.name]);
  const ruleTree: Record<string, Record<string, unknown>> = {};
  const publicFields: [string, string][] = [];
  for (const entry of listFieldAccess(schema)) {
    ruleTree[entry.typeName] ??= {};
    if (entry.grants.length === 0) {
      ruleTree[entry.typeName][entry.fieldName] = allow;
      publicFields.push([entry.typeName, entry.fieldName]);
    } else {
      const isRoot = rootNames.has(entry.typeName);
      ruleTree[entry.typeName][entry.fieldName] = grantRule(entry.typeName, entry.grants, isRoot, ownership);
    }
  }
  const generator = shield(ruleTree as IRules, {
    fallbackRule: deny,
    fallbackError: () => forbidden(),
    allowExternalErrors: true,
  });
  const fieldMiddleware = generator.generate(schema) as Record<string, Record<string, unknown>>;
  for (const [typeName, fieldName] of publicFields) {
    delete fieldMiddleware[typeName]?.[fieldName];
  }
  return applyMiddleware(schema, fieldMiddleware as never);
}
