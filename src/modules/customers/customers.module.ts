// The customers module: customer records, their addresses and their assignment to a delivery boy.
import { DeliveryRepository } from '../delivery/index.js';
import { IdentityRepository } from '../identity/index.js';
import { defineModule, type ServicesOf, type LoadersOf } from '../module.js';
import { SubscriptionRepository } from '../orders/index.js';
import { customerOwnership } from './customer.ownership.js';
import { createCustomerLoaders } from './customer.loaders.js';
import { CustomerRepository } from './customer.repository.js';
import { CustomerResolver } from './customer.resolver.js';
import { CustomerFieldResolver } from './customer-fields.resolver.js';
import { CustomerService } from './customer.service.js';

export const customersModule = defineModule({
  name: 'customers',
  tables: ['Customer'],
  resolvers: [CustomerResolver, CustomerFieldResolver],
  ownership: customerOwnership,
  services: ({ db, clock }) => ({
    customers: new CustomerService(db, clock, new CustomerRepository(db), {
      deliveryBoys: new DeliveryRepository(db),
      subscriptions: new SubscriptionRepository(db),
      users: new IdentityRepository(db),
    }),
  }),
  loaders: ({ db }) => createCustomerLoaders(db),
});

// What this module adds to every request's context (src/modules/context.ts).
declare module '../context.js' {
  interface Services extends ServicesOf<typeof customersModule> {}
  interface Loaders extends LoadersOf<typeof customersModule> {}
}
