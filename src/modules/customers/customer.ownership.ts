// Which customer records a viewer owns, for the `owner: true` grants on Customer.
import type { OwnershipChecks } from '../../auth/authorization.js';
import type { Context } from '../context.js';

interface CustomerRow {
  id: string;
  userId: string;
  deliveryBoyId: string | null;
}

/**
 * A customer belongs to its own user; a delivery boy may read the customers assigned to him, and for the
 * day the customers of orders an admin handed to him for today (his route would be unusable otherwise).
 */
export const customerOwnership: OwnershipChecks = {
  // Synchronous unless today's route must be read: the authorization fast path answers without a promise.
  Customer: (viewer, customer: CustomerRow, role, context: Context) => {
    if (role !== 'DELIVERY_BOY') return customer.userId === viewer.userId;
    if (viewer.deliveryBoyId === null) return false;
    if (customer.deliveryBoyId === viewer.deliveryBoyId) return true;
    return context.loaders.todaysOrdersByDeliveryBoyId.load(viewer.deliveryBoyId).then((route) => route.some((order) => order.customerId === customer.id));
  },
};
