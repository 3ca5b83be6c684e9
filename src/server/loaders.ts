// Fresh DataLoaders for every request: field resolvers load relations through these, never through Prisma.
import type { Database } from '../db/client.js';
import { createActivationLoaders } from '../modules/activation/index.js';
import { createCatalogueLoaders } from '../modules/catalogue/index.js';
import { createCustomerLoaders } from '../modules/customers/index.js';
import { createDeliveryLoaders } from '../modules/delivery/index.js';
import { createIdentityLoaders, type AttemptCounters } from '../modules/identity/index.js';
import { createOrderLoaders } from '../modules/orders/index.js';
import { createSupplierLoaders } from '../modules/suppliers/index.js';
import type { Clock } from '../shared/clock.js';

export interface LoaderDependencies {
  db: Database;
  counters: AttemptCounters;
  clock: Clock;
}

export function createLoaders({ db, counters, clock }: LoaderDependencies) {
  return {
    ...createIdentityLoaders(db, counters, clock),
    ...createActivationLoaders(db),
    ...createCatalogueLoaders(db),
    ...createCustomerLoaders(db),
    ...createOrderLoaders(db, clock),
    ...createDeliveryLoaders(db, clock),
    ...createSupplierLoaders(db, clock),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
