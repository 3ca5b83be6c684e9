// Derives the graphql-shield rule map from the @auth/@public directives at start-up. Shield runs with
// `fallbackRule: deny`, passes resolver errors through, and wraps only the fields that carry a grant:
// @public fields get no wrapper at all (a wrapper on every field costs several times on big lists).
// Grants that need no ownership check (role grants, and owner grants on root fields, whose rows the service
// scopes) are decided by a synchronous field middleware instead of a shield rule: shield's rules are
// always asynchronous, which turns every checked field of a 1,000-row list into a promise (bench/: ~3× the
// execution time). Owner grants stay shield rules behind a synchronous front that admits, without a
// promise, the callers the rule would admit anyway; ownership is answered once per record, role and request.
import { MapperKind, mapSchema } from '@graphql-tools/utils';
import { defaultFieldResolver, type GraphQLFieldResolver, type GraphQLResolveInfo, type GraphQLSchema } from 'graphql';
import { allow, deny, rule, shield } from 'graphql-shield';
import type { IRules } from 'graphql-shield';
import { forbidden, unauthenticated } from '../shared/errors.js';
import type { Context } from '../modules/context.js';
import type { AuthGrant } from './directives.js';
import { fieldsWithoutDirective, listFieldAccess } from './field-access.js';
import type { Role } from './roles.js';
import { secondFactorRefusal } from './second-factor.js';
import { viewerFor, type Viewer } from './viewer.js';

/** Does `parent` (an object of this type) belong to the viewer acting as `role`? */
export type OwnershipCheck = (
  viewer: Viewer,
  parent: any,
  role: Role,
  context: Context,
) => boolean | Promise<boolean>;

export type OwnershipChecks = Record<string, OwnershipCheck>;

const answerKeys = new Map<string, Map<Role, string>>();

/** `Type:ROLE`, made once per pair rather than on every field of every row. */
function answerKey(typeName: string, role: Role): string {
  let byRole = answerKeys.get(typeName);
  if (!byRole) answerKeys.set(typeName, (byRole = new Map()));
  let key = byRole.get(role);
  if (key === undefined) byRole.set(role, (key = `${typeName}:${role}`));
  return key;
}

// Every field of a record asks the same question ("does this customer belong to the viewer?"): the answer
// is kept per request (the context), per record object and per type and role, so a row is checked once.
const ownershipAnswers = new WeakMap<object, WeakMap<object, Map<string, boolean | Promise<boolean>>>>();

function isOwnedBy(check: OwnershipCheck, typeName: string, viewer: Viewer, parent: unknown, role: Role, context: Context) {
  if (parent === null || typeof parent !== 'object') return check(viewer, parent, role, context);
  // A viewer issued by a sign-in in this request keeps answers of its own (it is as fresh as the request).
  const scope: object = viewer === context.viewer ? context : viewer;
  let byRecord = ownershipAnswers.get(scope);
  if (!byRecord) ownershipAnswers.set(scope, (byRecord = new WeakMap()));
  let answers = byRecord.get(parent);
  if (!answers) byRecord.set(parent, (answers = new Map()));
  const key = answerKey(typeName, role);
  let answer = answers.get(key);
  if (answer === undefined) {
    answer = check(viewer, parent, role, context);
    answers.set(key, answer);
    // Once settled, the answer is a plain boolean that the synchronous path below can use.
    if (answer instanceof Promise) answer.then((owned) => answers!.set(key, owned), () => {});
  }
  return answer;
}

/**
 * The synchronous half of an owner-granted field: it admits exactly the callers the shield rule admits
 * without waiting (ADMIN, a role grant, or an ownership answer already known to be yes) and hands every
 * other case, including every refusal, to the shield rule, so the decisions and errors are the rule's.
 */
function ownerFastPath(typeName: string, grants: AuthGrant[], check: OwnershipCheck, shielded: FieldMiddleware): FieldMiddleware {
  const roleGranted = new Set<Role>(grants.filter((grant) => !grant.owner).flatMap((grant) => grant.roles));
  const ownerGranted = [...new Set<Role>(grants.filter((grant) => grant.owner).flatMap((grant) => grant.roles))];
  return (resolve, parent, args, context, info) => {
    const viewer = viewerFor(context, info);
    if (viewer) {
      if (viewer.roles.has('ADMIN')) return resolve(parent, args, context, info);
      for (const role of viewer.roles) {
        if (roleGranted.has(role)) return resolve(parent, args, context, info);
      }
      for (const role of ownerGranted) {
        if (viewer.roles.has(role) && isOwnedBy(check, typeName, viewer, parent, role, context) === true) return resolve(parent, args, context, info);
      }
    }
    return shielded(resolve, parent, args, context, info);
  };
}

type FieldMiddleware = (resolve: (...args: unknown[]) => unknown, parent: unknown, args: unknown, context: Context, info: GraphQLResolveInfo) => unknown;

/** A grant decided by the viewer's roles alone: synchronous, so a checked field stays as cheap as its resolver. */
function roleMiddleware(grants: AuthGrant[], rootField: string | null): FieldMiddleware {
  const admitted = new Set<Role>(grants.flatMap((grant) => grant.roles));
  return (resolve, parent, args, context, info) => {
    const viewer = viewerFor(context, info);
    if (!viewer) throw context.authError ?? unauthenticated();
    if (rootField !== null && viewer.secondFactorPending) {
      const refusal = secondFactorRefusal(viewer, rootField);
      if (refusal) throw refusal;
    }
    if (viewer.roles.has('ADMIN')) return resolve(parent, args, context, info);
    for (const role of viewer.roles) {
      if (admitted.has(role)) return resolve(parent, args, context, info);
    }
    throw forbidden();
  };
}

function grantRule(typeName: string, grants: AuthGrant[], isRoot: boolean, ownership: OwnershipChecks) {
  const ownerCheck = ownership[typeName];
  if (!isRoot && grants.some((grant) => grant.owner) && !ownerCheck) {
    throw new Error(`${typeName} has owner grants but no ownership check`);
  }
  return rule({ cache: 'no_cache' })(async (parent, _args, context: Context, info: GraphQLResolveInfo) => {
    const viewer = viewerFor(context, info);
    if (!viewer) return context.authError ?? unauthenticated();
    if (viewer.roles.has('ADMIN')) return true;
    for (const grant of grants) {
      for (const role of grant.roles) {
        if (!viewer.roles.has(role)) continue;
        // On root fields the owner grant admits the role; the service then scopes rows to the viewer.
        if (!grant.owner || isRoot) return true;
        if (await isOwnedBy(ownerCheck!, typeName, viewer, parent, role, context)) return true;
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
  const roleFields: [string, string, FieldMiddleware][] = [];
  const ownerFields: [string, string, AuthGrant[]][] = [];
  for (const entry of listFieldAccess(schema)) {
    ruleTree[entry.typeName] ??= {};
    const isRoot = rootNames.has(entry.typeName);
    if (entry.grants.length === 0) {
      ruleTree[entry.typeName][entry.fieldName] = allow;
      publicFields.push([entry.typeName, entry.fieldName]);
    } else if (isRoot || !entry.grants.some((grant) => grant.owner)) {
      // Listed for shield too, so that nothing here ever falls to its deny fallback; the middleware replaces it below.
      ruleTree[entry.typeName][entry.fieldName] = allow;
      roleFields.push([entry.typeName, entry.fieldName, roleMiddleware(entry.grants, isRoot ? entry.fieldName : null)]);
    } else {
      ruleTree[entry.typeName][entry.fieldName] = grantRule(entry.typeName, entry.grants, isRoot, ownership);
      ownerFields.push([entry.typeName, entry.fieldName, entry.grants]);
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
  for (const [typeName, fieldName, middleware] of roleFields) {
    fieldMiddleware[typeName][fieldName] = middleware;
  }
  for (const [typeName, fieldName, grants] of ownerFields) {
    const shielded = fieldMiddleware[typeName][fieldName] as FieldMiddleware;
    fieldMiddleware[typeName][fieldName] = ownerFastPath(typeName, grants, ownership[typeName], shielded);
  }
  return wrapResolvers(schema, fieldMiddleware);
}

/**
 * Puts each field's middleware in front of its resolver. graphql-middleware does the same but allocates a
 * resolver closure on every call; on a 1,000-row list that is thousands of allocations per request.
 */
function wrapResolvers(schema: GraphQLSchema, middlewareMap: Record<string, Record<string, unknown>>): GraphQLSchema {
  return mapSchema(schema, {
    [MapperKind.OBJECT_FIELD]: (fieldConfig, fieldName, typeName) => {
      const middleware = middlewareMap[typeName]?.[fieldName];
      if (middleware === undefined) return fieldConfig;
      if (typeof middleware !== 'function') throw new Error(`${typeName}.${fieldName}: unexpected middleware shape`);
      const resolve = (fieldConfig.resolve ?? defaultFieldResolver) as (...args: unknown[]) => unknown;
      const guard = middleware as FieldMiddleware;
      const guarded: GraphQLFieldResolver<unknown, Context> = (parent, args, context, info) => guard(resolve, parent, args, context, info);
      return { ...fieldConfig, resolve: guarded };
    },
  });
}
