import type { OwnershipChecks } from '../../auth/rules.js';
export { Supplier } from './supplier.type.js';

export const supplierOwnership: OwnershipChecks = {
  Supplier: (viewer, supplier: { id: string }, role) => role === 'SUPPLIER' && supplier.id === viewer.supplierId,
};
