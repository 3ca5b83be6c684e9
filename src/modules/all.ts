// The application is the list of its modules. Each module describes itself (src/modules/module.ts): the
// schema takes their resolvers and ownership rules, start-up creates their services once, and every request
// gets fresh DataLoaders from each of them. Nothing else lists what a module contains.
import { createHash } from 'node:crypto';
import type { OwnershipChecks } from '../auth/authorization.js';
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
// Imported in this order: type-graphql lists fields in the order their classes are declared.
import type { Platform, RequestPlatform, ResolverClass } from './module.js';

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
type ServicesOf<M> = M extends { services?: (deps: never) => infer S } ? S : never;
type LoadersOf<M> = M extends { loaders?: (deps: never) => infer L } ? L : never;
type DependenciesOf<M> = M extends { services?: (deps: infer D) => unknown } ? D : never;
type LoaderDependenciesOf<M> = M extends { loaders?: (deps: infer D) => unknown } ? D : never;

/** Every module's services, by name: created once at start-up and shared by every request. */
export type Services = Intersection<ServicesOf<AnyModule>>;
/** Every module's DataLoaders, by name: fresh for every request. */
export type Loaders = Intersection<LoadersOf<AnyModule>>;
/** What start-up gives the modules' services. */
export type ServiceDependencies = Platform & Intersection<DependenciesOf<AnyModule>>;
/** What each request gives the modules' loaders. */
export type LoaderDependencies = RequestPlatform & Intersection<LoaderDependenciesOf<AnyModule>>;

/** Merges what each module creates, refusing two modules that give the same name to different things. */
function mergeByName(kind: string, parts: readonly [string, object | undefined][]): Record<string, unknown> {
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
  return merged;
}

/** The modules as start-up and requests call them: each is given all the dependencies, a superset of its own. */
const callable: readonly { name: string; services?: (deps: ServiceDependencies) => object; loaders?: (deps: LoaderDependencies) => object }[] = MODULES;

export function createServices(deps: ServiceDependencies): Services {
  return mergeByName(
    'service',
    callable.map((module) => [module.name, module.services?.(deps)]),
  ) as Services;
}

export function createLoaders(deps: LoaderDependencies): Loaders {
  return mergeByName(
    'loader',
    callable.map((module) => [module.name, module.loaders?.(deps)]),
  ) as Loaders;
}

/** Every module's resolver classes, for the schema. */
export function moduleResolvers(): ResolverClass[] {
  return MODULES.flatMap((module) => [...module.resolvers]);
}

/** Every module's ownership rules by GraphQL type name; a type has one owner. */
export function moduleOwnership(): OwnershipChecks {
  return mergeByName(
    'ownership rule for type',
    MODULES.map((module): [string, object | undefined] => [module.name, 'ownership' in module ? module.ownership : undefined]),
  ) as OwnershipChecks;
}

/** The OTP HMAC key, derived from the token secret so that one secret serves both. */
export function deriveOtpSecret(material: string): string {
  return createHash('sha256').update(`otp:${material}`).digest('hex');
}
