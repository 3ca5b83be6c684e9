import type { OwnershipChecks } from '../../auth/authorization.js';
import { payoutOwnership } from './delivery-boy.resolver.js';
export { DeliveryBoy } from './delivery-boy.type.js';
export { DeliveryBoyFieldResolver, PayoutFieldResolver } from './delivery-boy.resolver.js';
export { createDeliveryLoaders } from './delivery.loaders.js';
export { DeliveryRepository } from './delivery.repository.js';
export { DeliveryResolver } from './delivery.resolver.js';
export { DeliveryService } from './delivery.service.js';
export { Earnings, Payout, Period } from './earnings.type.js';

interface DeliveryBoyRow {
  id: string;
}

export const deliveryOwnership: OwnershipChecks = {
  ...payoutOwnership,
  DeliveryBoy: async (viewer, deliveryBoy: DeliveryBoyRow, role, context) => {
    if (role === 'DELIVERY_BOY') return deliveryBoy.id === viewer.deliveryBoyId;
    // A customer may see the delivery boy assigned to it.
    if (role === 'CUSTOMER' && viewer.customerId) {
      const customer = await context.loaders.customerByUserId.load(viewer.userId);
      return customer?.deliveryBoyId === deliveryBoy.id;
    }
    return false;
  },
};
