import { registerEnumType } from 'type-graphql';
import { Role } from '../generated/prisma/enums.js';

export { Role };
export const ALL_ROLES: readonly Role[] = Object.values(Role);

registerEnumType(Role, {
  name: 'Role',
  description: 'What a user may act as; a user may hold several (a delivery boy can also be a customer).',
  valuesConfig: {
    CUSTOMER: { description: 'Orders and subscribes for itself; has a customer facet.' },
    DELIVERY_BOY: { description: 'Delivers the orders of the customers assigned to him; has a delivery-boy facet.' },
    SUPPLIER: { description: 'A partner business: reads its own products, order lines and earnings; has a supplier facet.' },
    MARKETING_STAFF: { description: 'Signs customers up in the field, reads and contacts customers.' },
    ADMIN: { description: 'Runs everything: passes every @auth grant.' },
  },
});
