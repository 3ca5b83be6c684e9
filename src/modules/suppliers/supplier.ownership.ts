// Which supplier records a viewer owns, for the `owner: true` grants on Supplier.
import type { OwnershipChecks } from '../../auth/authorization.js';

export const supplierOwnership: OwnershipChecks = {
  Supplier: (viewer, supplier: { id: string }, role) => role === 'SUPPLIER' && supplier.id === viewer.supplierId,
};
