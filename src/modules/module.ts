// What a module is to the server: one descriptor, exported from the module's index.ts, says which tables the
// module owns, which resolvers and ownership rules it adds to the schema, which services it creates at
// start-up and which DataLoaders it creates for each request. The server composes the list of descriptors
// (src/modules/all.ts); adding a module means adding it to that list, nothing else.
import type { OwnershipChecks } from '../auth/authorization.js';
import type { Config } from '../config/env.js';
import type { Database } from '../db/client.js';
import type { Clock } from '../shared/clock.js';
import type { Logger } from '../shared/logger.js';

/** A type-graphql resolver class (root or field resolver). */
export type ResolverClass = abstract new (...args: never[]) => object;

/** What every module's services are given: created once at start-up. */
export interface Platform {
  config: Config;
  db: Database;
  clock: Clock;
  log: Logger;
}

/** What every module's loaders are given: created for each request. */
export interface RequestPlatform {
  db: Database;
  clock: Clock;
}

export interface ModuleDescriptor<Deps = object, Services = object, LoaderDeps = object, Loaders = object> {
  readonly name: string;
  /**
   * The Prisma models only this module's repositories write, and `Model.column` for columns it writes in a
   * table another module owns; other modules go through its public API (test/unit/module-map.test.ts).
   */
  readonly tables: readonly string[];
  /** Its type-graphql resolver classes (root and field resolvers). */
  readonly resolvers: readonly ResolverClass[];
  /** Its ownership rules by GraphQL type name, applied to the `owner: true` grants of those types. */
  readonly ownership?: OwnershipChecks;
  /** Its services, created once at start-up and shared by every request, by name. */
  readonly services?: (deps: Platform & Deps) => Services;
  /** Its DataLoaders, fresh for every request, by name. */
  readonly loaders?: (deps: RequestPlatform & LoaderDeps) => Loaders;
}

/** What a descriptor's services are, by name. */
export type ServicesOf<M> = M extends { services?: (deps: never) => infer S } ? S : never;

/** What a descriptor's loaders are, by name. */
export type LoadersOf<M> = M extends { loaders?: (deps: never) => infer L } ? L : never;

/** A descriptor, with its types inferred from what it creates. */
export function defineModule<Deps = object, Services = object, LoaderDeps = object, Loaders = object>(
  module: ModuleDescriptor<Deps, Services, LoaderDeps, Loaders>,
): ModuleDescriptor<Deps, Services, LoaderDeps, Loaders> {
  return module;
}
