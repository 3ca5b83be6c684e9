// The application is the list of its modules. Each module describes itself (src/modules/module.ts): the
// schema takes their resolvers and ownership rules, start-up creates their services once, and every request
// gets fresh DataLoaders from each of them. Nothing else lists what a module contains.
import { createHash } from 'node:crypto';
import type { OwnershipChecks } from '../auth/authorization.js';
// The modules are imported in this order because type-graphql lists fields in the order their classes are
// declared (schema.graphql is sorted; docs/ROLE_AUDIT.md follows declaration order).
import { adminModule } from './admin/index.js';
import { auditModule } from './audit/index.js';
import { activationModule } from './activation/index.js';
import { catalogueModule } from './catalogue/index.js';
import { customersModule } from './customers/index.js';
import { deliveryModule } from './delivery/index.js';
import { identityModule } from './identity/index.js';
import { ordersModule } from './orders/index.js';
import { suppliersModule } from './suppliers/index.js';
import { messagesModule } from './messages/index.js';
import { idempotencyModule } from './idempotency/index.js';
import type { Loaders, Services } from './context.js';
import type { LoadersOf, Platform, RequestPlatform, ResolverClass, ServicesOf } from './module.js';

export const MODULES = [
  identityModule,
  auditModule,
  activationModule,
  catalogueModule,
  customersModule,
  ordersModule,
  deliveryModule,
  suppliersModule,
  messagesModule,
  idempotencyModule,
  adminModule,
] as const;

type AnyModule = (typeof MODULES)[number];
type Intersection<U> = (U extends unknown ? (member: U) => void : never) extends (all: infer I) => void ? I : never;
type DependenciesOf<M> = M extends { services?: (deps: infer D) => unknown } ? D : never;
type LoaderDependenciesOf<M> = M extends { loaders?: (deps: infer D) => unknown } ? D : never;

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

// Each descriptor file adds its module's services and loaders to the request context (context.ts); these
// fail to compile when what the modules add is not exactly what the list of modules creates.
const servicesAddedByEveryModule: Same<Services, Intersection<ServicesOf<AnyModule>>> = true;
const loadersAddedByEveryModule: Same<Loaders, Intersection<LoadersOf<AnyModule>>> = true;
void servicesAddedByEveryModule;
void loadersAddedByEveryModule;

export type { Loaders, Services };
/** What start-up gives the modules' services. */
export type ServiceDependencies = Platform & Intersection<DependenciesOf<AnyModule>>;
/** What each request gives the modules' loaders. */
export type LoaderDependencies = RequestPlatform & Intersection<LoaderDependenciesOf<AnyModule>>;

/** Merges what each module creates, refusing two modules that give the same name to different things. */
function mergeByName<Merged>(kind: string, parts: readonly [string, object | undefined][]): Merged {
  const merged: Record<string, unknown> = {};
  const owners = new Map<string, string>();
  for (const [module, part] of parts) {
    for (const [name, value] of Object.entries(part ?? {})) {
      const owner = owners.get(name);
      if (owner !== undefined) throw new Error(`the ${kind} "${name}" is created by both the ${owner} and the ${module} module`);
      owners.set(name, module);
      merged[name] = value;
    }
  }
  return merged as Merged;
}

/** The modules as start-up and requests call them: each is given all the dependencies, a superset of its own. */
const callable: readonly { name: string; services?: (deps: ServiceDependencies) => object; loaders?: (deps: LoaderDependencies) => object }[] = MODULES;

export function createServices(deps: ServiceDependencies): Services {
  return mergeByName<Services>(
    'service',
    callable.map((module) => [module.name, module.services?.(deps)]),
  );
}

export function createLoaders(deps: LoaderDependencies): Loaders {
  return mergeByName<Loaders>(
    'loader',
    callable.map((module) => [module.name, module.loaders?.(deps)]),
  );
}

/** Every module's resolver classes, for the schema. */
export function moduleResolvers(): ResolverClass[] {
  return MODULES.flatMap((module) => [...module.resolvers]);
}

/** Every module's ownership rules by GraphQL type name; a type has one owner. */
export function moduleOwnership(): OwnershipChecks {
  return mergeByName<OwnershipChecks>(
    'ownership rule for type',
    MODULES.map((module): [string, object | undefined] => [module.name, 'ownership' in module ? module.ownership : undefined]),
  );
}

/** The OTP HMAC key, derived from the token secret so that one secret serves both. */
export function deriveOtpSecret(material: string): string {
  return createHash('sha256').update(`otp:${material}`).digest('hex');
}
