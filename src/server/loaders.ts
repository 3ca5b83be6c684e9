// Fresh DataLoaders for every request: field resolvers load relations through these, never through Prisma.
import type { Database } from '../db/client.js';
import { createIdentityLoaders, type AttemptCounters } from '../modules/identity/index.js';
import type { Clock } from '../shared/clock.js';

export interface LoaderDependencies {
  db: Database;
  counters: AttemptCounters;
  clock: Clock;
}

export function createLoaders({ db, counters, clock }: LoaderDependencies) {
  return {
    ...createIdentityLoaders(db, counters, clock),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
