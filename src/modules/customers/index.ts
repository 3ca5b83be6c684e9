import type { OwnershipChecks } from '../../auth/rules.js';
export { Customer } from './customer.type.js';

interface CustomerRow {
  userId: string;
  deliveryBoyId: string | null;
}

/** A customer belongs to its own user; a delivery boy may read the customers assigned to him. */
export const customerOwnership: OwnershipChecks = {
  Customer: (viewer, customer: CustomerRow, role) =>
    role === 'DELIVERY_BOY' ? customer.deliveryBoyId !== null && customer.deliveryBoyId === viewer.deliveryBoyId : customer.userId === viewer.userId,
};
