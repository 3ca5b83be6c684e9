// Which delivery-boy records (and payouts) a viewer owns, for the `owner: true` grants on them.
import type { OwnershipChecks } from '../../auth/authorization.js';
import type { Context } from '../context.js';
import { payoutOwnership } from './delivery-boy.resolver.js';

interface DeliveryBoyRow {
  id: string;
}

export const deliveryOwnership: OwnershipChecks = {
  ...payoutOwnership,
  DeliveryBoy: async (viewer, deliveryBoy: DeliveryBoyRow, role, context: Context) => {
    if (role === 'DELIVERY_BOY') return deliveryBoy.id === viewer.deliveryBoyId;
    // A customer may see the delivery boy assigned to it.
    if (role === 'CUSTOMER' && viewer.customerId) {
      const customer = await context.loaders.customerByUserId.load(viewer.userId);
      return customer?.deliveryBoyId === deliveryBoy.id;
    }
    return false;
  },
};
