// The suppliers module: partner suppliers and their portal (their products' orders and earnings).
import { defineModule, type ServicesOf, type LoadersOf } from '../module.js';
import { SupplierOrderFieldResolver, SupplierOrderLineFieldResolver } from './supplier-order.resolver.js';
import { SupplierPortalService } from './supplier-portal.service.js';
import { createSupplierLoaders } from './supplier.loaders.js';
import { supplierOwnership } from './supplier.ownership.js';
import { SupplierFieldResolver } from './supplier.resolver.js';

export const suppliersModule = defineModule({
  name: 'suppliers',
  tables: ['Supplier'],
  resolvers: [SupplierFieldResolver, SupplierOrderFieldResolver, SupplierOrderLineFieldResolver],
  ownership: supplierOwnership,
  services: () => ({ supplierPortal: new SupplierPortalService() }),
  loaders: ({ db, clock }) => createSupplierLoaders(db, clock),
});

// What this module adds to every request's context (src/modules/context.ts).
declare module '../context.js' {
  interface Services extends ServicesOf<typeof suppliersModule> {}
  interface Loaders extends LoadersOf<typeof suppliersModule> {}
}
