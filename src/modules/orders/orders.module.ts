// The orders module: one-off orders, their items and recurring subscriptions.
import { ProductRepository } from '../catalogue/index.js';
import { CustomerRepository } from '../customers/index.js';
import { DeliveryRepository } from '../delivery/index.js';
import { defineModule, type ServicesOf, type LoadersOf } from '../module.js';
import { createOrderLoaders } from './order.loaders.js';
import { OrderFieldResolver, OrderItemFieldResolver, orderOwnership } from './order-fields.resolver.js';
import { OrderRepository } from './order.repository.js';
import { OrderResolver } from './order.resolver.js';
import { OrderService } from './order.service.js';
import { SubscriptionRepository } from './subscription.repository.js';
import { SubscriptionResolver } from './subscription.resolver.js';
import { SubscriptionService } from './subscription.service.js';

export const ordersModule = defineModule({
  name: 'orders',
  tables: ['Order', 'OrderItem', 'Subscription'],
  resolvers: [OrderResolver, OrderFieldResolver, OrderItemFieldResolver, SubscriptionResolver],
  ownership: orderOwnership,
  services: ({ db, clock }) => {
    // Products, customers and delivery boys are other modules': read through their public repositories.
    const products = new ProductRepository(db);
    const customers = new CustomerRepository(db);
    return {
      orders: new OrderService(db, clock, new OrderRepository(db), products, { customers, deliveryBoys: new DeliveryRepository(db) }),
      subscriptions: new SubscriptionService(db, clock, new SubscriptionRepository(db), products, customers),
    };
  },
  loaders: ({ db, clock }) => createOrderLoaders(db, clock),
});

// What this module adds to every request's context (src/modules/context.ts).
declare module '../context.js' {
  interface Services extends ServicesOf<typeof ordersModule> {}
  interface Loaders extends LoadersOf<typeof ordersModule> {}
}
