import type { OwnershipChecks } from '../../auth/authorization.js';
export { splitCommission } from './supplier-earnings.rules.js';
export { SupplierPortalService } from './supplier-portal.service.js';
export { createSupplierLoaders } from './supplier.loaders.js';
export { SupplierRepository } from './supplier.repository.js';
export { SupplierFieldResolver } from './supplier.resolver.js';
export { SupplierOrderFieldResolver, SupplierOrderLineFieldResolver } from './supplier-order.resolver.js';
export { SupplierEarnings, SupplierOrder, SupplierOrderConnection, SupplierOrderLine } from './supplier-order.type.js';
export { Supplier } from './supplier.type.js';

export const supplierOwnership: OwnershipChecks = {
  Supplier: (viewer, supplier: { id: string }, role) => role === 'SUPPLIER' && supplier.id === viewer.supplierId,
};
