// The delivery module: delivery boys, their deliveries, earnings and payouts.
import { CustomerRepository } from '../customers/index.js';
import { defineModule, type ServicesOf, type LoadersOf } from '../module.js';
import { OrderRepository } from '../orders/index.js';
import { DeliveryBoyFieldResolver, PayoutFieldResolver } from './delivery-boy.resolver.js';
import { createDeliveryLoaders } from './delivery.loaders.js';
import { deliveryOwnership } from './delivery.ownership.js';
import { DeliveryRepository } from './delivery.repository.js';
import { DeliveryResolver } from './delivery.resolver.js';
import { DeliveryService } from './delivery.service.js';

export const deliveryModule = defineModule({
  name: 'delivery',
  tables: ['DeliveryBoy', 'Delivery', 'Payout'],
  resolvers: [DeliveryResolver, DeliveryBoyFieldResolver, PayoutFieldResolver],
  ownership: deliveryOwnership,
  services: ({ db, clock }) => ({
    deliveries: new DeliveryService(db, clock, new DeliveryRepository(db), { orders: new OrderRepository(db), customers: new CustomerRepository(db) }),
  }),
  loaders: ({ db, clock }) => createDeliveryLoaders(db, clock),
});

// What this module adds to every request's context (src/modules/context.ts).
declare module '../context.js' {
  interface Services extends ServicesOf<typeof deliveryModule> {}
  interface Loaders extends LoadersOf<typeof deliveryModule> {}
}
