// Authorization, derived once at start-up from the grants the @Auth/@Public decorators record on each field
// (its `authorization` extension, see directives.ts; the printed @auth/@public directives say the same).
// Every field gets exactly one of three decisions, and the schema refuses to start when a field has none:
//   public  no check and no wrapper (a wrapper on every field of a 1,000-row list costs several times over);
//   role    the viewer's roles decide, synchronously: role grants, and on Query/Mutation fields also owner
//           grants, which must say `scopedBy: 'viewer'` (the service answers only the viewer's rows); a root
//           owner grant without it refuses to start, naming the field. Root fields also refuse a pending
//           second factor here.
//   owner   an owner grant on a record's field: graphql-shield applies the rule map of exactly these fields
//           (fallbackRule deny, resolver errors passed through) with the module's ownership check. In front
//           of it a synchronous step admits, without a promise, the callers shield would admit anyway (ADMIN,
//           a role grant, an ownership answer already known to be yes); every other case, each refusal
//           included, is shield's. Shield's rules are always asynchronous: on every checked field of a
//           1,000-row list that is a promise per field (bench/: ~3× the execution time).
// Ownership is answered once per record, type, role and request, and the answer is shared by every field; a
// record once admitted is admitted for its next fields with the same grants without asking again, and a field
// without a resolver of its own (every object type has type-graphql's simple resolvers) is read by its guard.
import { MapperKind, mapSchema } from '@graphql-tools/utils';
import {
  defaultFieldResolver,
  isIntrospectionType,
  isObjectType,
  type GraphQLField,
  type GraphQLFieldResolver,
  type GraphQLResolveInfo,
  type GraphQLSchema,
} from 'graphql';
import { deny, rule, shield } from 'graphql-shield';
import type { IRules } from 'graphql-shield';
import { forbidden, unauthenticated, type AppError } from '../shared/errors.js';
import type { AuthGrant } from './directives.js';
import { ALL_ROLES, type Role } from './roles.js';
import { secondFactorRefusal } from './second-factor.js';
import { viewerFor, type Viewer, type ViewerSource } from './viewer.js';

/**
 * What authorization reads of a request's context: the viewer (and the viewers its sign-ins issued), and why
 * a presented token was refused. The modules' context (src/modules/context.ts) is one; ownership checks that
 * read more of it (loaders) say so in their own signature.
 */
export interface AuthorizationContext extends ViewerSource {
  readonly authError: AppError | null;
}

/**
 * Does `parent` (an object of this type) belong to the viewer acting as `role`? Declared as a method so that
 * each module's check may name the row type it reads (`customer: CustomerRow`): parameters of methods are
 * compared bivariantly, and the record a field resolver gets is the row its type's loaders give.
 */
export type OwnershipCheck = {
  check(viewer: Viewer, parent: object, role: Role, context: AuthorizationContext): boolean | Promise<boolean>;
}['check'];

export type OwnershipChecks = Record<string, OwnershipCheck>;

export interface FieldAccessEntry {
  typeName: string;
  fieldName: string;
  isPublic: boolean;
  grants: AuthGrant[];
}

function recordedAccess(field: GraphQLField<unknown, unknown>): { isPublic: boolean; grants: AuthGrant[] } {
  const authorization = field.extensions.authorization;
  return { isPublic: authorization?.isPublic ?? false, grants: authorization?.grants ?? [] };
}

/** Every field of every object type with its grants, root types first: also the input of the role audit and the IDE notes. */
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
      entries.push({ typeName: type.name, fieldName: field.name, ...recordedAccess(field) });
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

type Decision =
  | { kind: 'public' }
  | { kind: 'role'; admitted: Set<Role>; rootField: string | null }
  | { kind: 'owner'; typeName: string; grants: AuthGrant[]; check: OwnershipCheck };

/** The decision of every field, keyed `Type.field`; throws, naming the fields, where the grants cannot be enforced. */
export function planAuthorization(schema: GraphQLSchema, ownership: OwnershipChecks): Map<string, Decision> {
  const missing = fieldsWithoutDirective(schema);
  if (missing.length > 0) throw new Error(`fields without @auth or @public: ${missing.join(', ')}`);
  const rootNames = new Set([schema.getQueryType()?.name, schema.getMutationType()?.name]);
  const unscoped: string[] = [];
  const decisions = new Map<string, Decision>();
  for (const { typeName, fieldName, grants } of listFieldAccess(schema)) {
    const name = `${typeName}.${fieldName}`;
    const isRoot = rootNames.has(typeName);
    const ownerGrants = grants.filter((grant) => grant.owner);
    if (isRoot && ownerGrants.some((grant) => grant.scopedBy !== 'viewer')) unscoped.push(name);
    if (!isRoot && grants.some((grant) => grant.scopedBy !== undefined)) {
      throw new Error(`${name}: scopedBy is for Query/Mutation fields; on a record's field the ownership check of ${typeName} decides`);
    }
    if (grants.length === 0) {
      decisions.set(name, { kind: 'public' });
    } else if (isRoot || ownerGrants.length === 0) {
      decisions.set(name, { kind: 'role', admitted: new Set(grants.flatMap((grant) => grant.roles)), rootField: isRoot ? fieldName : null });
    } else {
      const check = ownership[typeName];
      if (!check) throw new Error(`${typeName} has owner grants but no ownership check`);
      decisions.set(name, { kind: 'owner', typeName, grants, check });
    }
  }
  if (unscoped.length > 0) {
    throw new Error(
      `owner grants on root fields without scopedBy: 'viewer': ${unscoped.join(', ')}. A root field has no record to check; ` +
        "its service must answer only the viewer's rows, and the grant must say so: @Auth(roles, { owner: true, scopedBy: 'viewer' })",
    );
  }
  return decisions;
}

const answerKeys = new Map<string, Map<Role, string>>();

/** `Type:ROLE`, made once per pair rather than on every field of every row. */
function answerKey(typeName: string, role: Role): string {
  let byRole = answerKeys.get(typeName);
  if (!byRole) answerKeys.set(typeName, (byRole = new Map<Role, string>()));
  let key = byRole.get(role);
  if (key === undefined) byRole.set(role, (key = `${typeName}:${role}`));
  return key;
}

type Answer = boolean | Promise<boolean>;

/**
 * What authorization has worked out about the viewer of one scope (a request's context, or a viewer that a
 * sign-in in the request issued, which is as fresh as the request): its roles as bits, and its ownership
 * answers. Every field of a record asks the same question ("does this customer belong to the viewer?"), so
 * answers are kept per question (type and role) and record, and a row is checked once. They live as long as
 * the scope, so plain maps hold the records, one map per question: nothing is allocated per record. The
 * last answer is kept at hand: the next field of the same row asks it again.
 */
class ViewerAnswers {
  /** The viewer's roles as bits (roleBits): a guard tests them with one `&`. */
  readonly roles: number;
  private readonly byQuestion = new Map<string, Map<object, Answer>>();
  /** The last settled answer, and to which question and record. */
  lastAsked: string | null = null;
  lastRecord: object | null = null;
  lastAnswer: Answer = false;
  /** The last record an owner guard admitted, and for which set of grants (grantSetOf). */
  admittedRecord: object | null = null;
  admittedBy: object | null = null;

  constructor(readonly viewer: Viewer) {
    this.roles = roleBits(viewer.roles);
  }

  /** The answers to `question` (`Type:ROLE`) by record. */
  to(question: string): Map<object, Answer> {
    let answers = this.byQuestion.get(question);
    if (!answers) this.byQuestion.set(question, (answers = new Map<object, Answer>()));
    return answers;
  }
}

const ROLE_BIT = new Map<Role, number>(ALL_ROLES.map((role, index) => [role, 1 << index]));

function roleBits(roles: Iterable<Role>): number {
  let bits = 0;
  for (const role of roles) bits |= ROLE_BIT.get(role) ?? 0;
  return bits;
}

const ANSWERS = Symbol('viewer answers');
type AnswerScope = object & { [ANSWERS]?: ViewerAnswers };

/** The answers of the scope `viewer` is judged in: the request's, or those of a viewer a sign-in issued. */
function answersFor(viewer: Viewer, context: AuthorizationContext): ViewerAnswers {
  const scope: AnswerScope = viewer === context.viewer ? context : viewer;
  const answers = scope[ANSWERS];
  return answers !== undefined && answers.viewer === viewer ? answers : (scope[ANSWERS] = new ViewerAnswers(viewer));
}

function isOwnedBy(
  check: OwnershipCheck,
  key: string,
  viewer: Viewer,
  parent: unknown,
  role: Role,
  context: AuthorizationContext,
  scope: ViewerAnswers = answersFor(viewer, context),
): Answer {
  // A field's parent is its record, an object; anything else belongs to nobody.
  if (parent === null || typeof parent !== 'object') return false;
  if (scope.lastRecord === parent && scope.lastAsked === key) return scope.lastAnswer;
  const answers = scope.to(key);
  let answer = answers.get(parent);
  if (answer === undefined) {
    answer = check(viewer, parent, role, context);
    answers.set(parent, answer);
    // Once settled, the answer is a plain boolean that the synchronous step can use.
    if (answer instanceof Promise)
      answer.then(
        (owned) => answers.set(parent, owned),
        () => {},
      );
  }
  if (answer !== true && answer !== false) return answer;
  scope.lastAsked = key;
  scope.lastRecord = parent;
  scope.lastAnswer = answer;
  return answer;
}

/** The shield rule of an owner-granted field: any grant that admits the viewer, ownership awaited where a grant needs it. */
function ownerRule({ typeName, grants, check }: Extract<Decision, { kind: 'owner' }>) {
  return rule({ cache: 'no_cache' })(async (parent, _args, context: AuthorizationContext, info: GraphQLResolveInfo) => {
    const viewer = viewerFor(context, info);
    if (!viewer) return context.authError ?? unauthenticated();
    if (viewer.roles.has('ADMIN')) return true;
    for (const grant of grants) {
      for (const role of grant.roles) {
        if (!viewer.roles.has(role)) continue;
        if (!grant.owner) return true;
        if (await isOwnedBy(check, answerKey(typeName, role), viewer, parent, role, context)) return true;
      }
    }
    return forbidden();
  });
}

type Resolve = (...args: unknown[]) => unknown;
type FieldMiddleware = (resolve: Resolve, parent: unknown, args: unknown, context: AuthorizationContext, info: GraphQLResolveInfo) => unknown;
type Guarded = GraphQLFieldResolver<unknown, AuthorizationContext>;

/**
 * A field a guard admits: its resolver, or, for a field without one (type-graphql's simple resolvers), the
 * property graphql-js's default resolver would read, read by the guard itself without a call (a method
 * there is still called by the default resolver).
 */
interface GuardedField {
  resolve: Resolve;
  property: string | null;
}

function resolveAdmitted({ resolve, property }: GuardedField, parent: unknown, args: unknown, context: unknown, info: unknown): unknown {
  if (property !== null && parent !== null && typeof parent === 'object') {
    const value = (parent as Record<string, unknown>)[property];
    if (typeof value !== 'function') return value;
  }
  return resolve(parent, args, context, info);
}

/** A decision by the viewer's roles alone: synchronous, so a checked field stays as cheap as its resolver. */
function roleGuard({ admitted, rootField }: Extract<Decision, { kind: 'role' }>, field: GuardedField): Guarded {
  const admitting = roleBits(['ADMIN', ...admitted]);
  return (parent, args, context, info) => {
    const viewer = viewerFor(context, info);
    if (!viewer) throw context.authError ?? unauthenticated();
    if (rootField !== null && viewer.secondFactorPending) {
      const refusal = secondFactorRefusal(viewer, rootField);
      if (refusal) throw refusal;
    }
    if ((answersFor(viewer, context).roles & admitting) !== 0) return resolveAdmitted(field, parent, args, context, info);
    throw forbidden();
  };
}

/**
 * The synchronous front of an owner-granted field: it admits exactly the callers the shield rule admits
 * without waiting and hands every other case, including every refusal, to `shielded`, so the decisions and
 * errors are the rule's.
 */
function ownerGuard(decision: Extract<Decision, { kind: 'owner' }>, shielded: FieldMiddleware, field: GuardedField): Guarded {
  const { typeName, grants, check } = decision;
  const admitting = roleBits(['ADMIN', ...grants.filter((grant) => !grant.owner).flatMap((grant) => grant.roles)]);
  const owning = [...new Set<Role>(grants.filter((grant) => grant.owner).flatMap((grant) => grant.roles))].map((role) => ({
    role,
    bit: roleBits([role]),
    key: answerKey(typeName, role),
  }));
  const grantSet = grantSetOf(typeName, admitting, owning);
  return (parent, args, context, info) => {
    const viewer = context.issuedViewers === undefined ? context.viewer : viewerFor(context, info);
    if (viewer !== null) {
      const scope = answersFor(viewer, context);
      // The record's previous field had the same grants and was admitted: so is this one.
      let admitted = scope.admittedRecord === parent && scope.admittedBy === grantSet;
      if (!admitted) {
        admitted = (scope.roles & admitting) !== 0;
        for (let index = 0; !admitted && index < owning.length; index += 1) {
          const { role, bit, key } = owning[index];
          admitted = (scope.roles & bit) !== 0 && isOwnedBy(check, key, viewer, parent, role, context, scope) === true;
        }
        if (admitted && parent !== null && typeof parent === 'object') {
          scope.admittedRecord = parent;
          scope.admittedBy = grantSet;
        }
      }
      if (admitted) return resolveAdmitted(field, parent, args, context, info);
    }
    return shielded(field.resolve, parent, args, context, info);
  };
}

const grantSets = new Map<string, object>();

/** One object per type and set of grants: the fields of a type that share their grants share the admission of a record. */
function grantSetOf(typeName: string, admitting: number, owning: { key: string }[]): object {
  const name = `${typeName}|${admitting}|${owning.map((entry) => entry.key).join(',')}`;
  let set = grantSets.get(name);
  if (set === undefined) grantSets.set(name, (set = { name }));
  return set;
}

export function applyAuthorization(schema: GraphQLSchema, ownership: OwnershipChecks): GraphQLSchema {
  const decisions = planAuthorization(schema, ownership);
  // Shield is given the rules of the owner-checked fields and nothing else; it is applied to those fields only.
  const ownerRules: Record<string, Record<string, ReturnType<typeof ownerRule>>> = {};
  for (const [name, decision] of decisions) {
    if (decision.kind !== 'owner') continue;
    (ownerRules[decision.typeName] ??= {})[name.slice(decision.typeName.length + 1)] = ownerRule(decision);
  }
  const shielded = shield(ownerRules as IRules, {
    fallbackRule: deny,
    fallbackError: () => forbidden(),
    allowExternalErrors: true,
  }).generate(schema) as Record<string, Record<string, FieldMiddleware>>;
  // Each field's guard goes in front of its resolver. graphql-middleware does the same but allocates a
  // resolver closure on every call; on a 1,000-row list that is thousands of allocations per request.
  return mapSchema(schema, {
    [MapperKind.OBJECT_FIELD]: (fieldConfig, fieldName, typeName) => {
      const decision = decisions.get(`${typeName}.${fieldName}`);
      if (!decision) throw new Error(`${typeName}.${fieldName}: no authorization decision`);
      if (decision.kind === 'public') return fieldConfig;
      // The guard calls the resolver itself: one call per field, not two. A field without a resolver of its
      // own is read by the guard, as graphql-js's default resolver reads it: no call at all.
      const own = fieldConfig.resolve as Resolve | undefined;
      const field = { resolve: own ?? (defaultFieldResolver as Resolve), property: own === undefined ? fieldName : null };
      const guarded = decision.kind === 'role' ? roleGuard(decision, field) : ownerGuard(decision, shielded[typeName][fieldName], field);
      return { ...fieldConfig, resolve: guarded };
    },
  });
}
