import DataLoader from 'dataloader';
import type { Database } from '../../db/client.js';
import { keyKinds, keyOf } from '../../db/keyset.js';
import type { OrderStatus } from '../../generated/prisma/enums.js';
import type { Clock } from '../../shared/clock.js';
import { istDateString, parseDateOnly } from '../../shared/time.js';
import { manyByKey, oneByKey } from '../../shared/loader-batches.js';
import { ORDER_ORDER, OrderRepository } from './order.repository.js';
import { createParentConnectionLoader } from './parent-connection.loader.js';
import { SUBSCRIPTION_ORDER, SubscriptionRepository } from './subscription.repository.js';

export function createOrderLoaders(db: Database, clock: Clock) {
  const orders = new OrderRepository(db);
  const subscriptions = new SubscriptionRepository(db);
  // A page comes with its counts, and its rows with their items and products (one statement per page):
  // the fields below a page row then resolve synchronously from the row, without loaders or promises.
  return {
    orderById: new DataLoader(async (ids: readonly string[]) => oneByKey(ids, await orders.findByIds(ids), (row) => row.id)),
    orderItemsByOrderId: new DataLoader(async (ids: readonly string[]) => manyByKey(ids, await orders.itemsForOrders(ids), (row) => row.orderId)),
    ordersByCustomer: createParentConnectionLoader({
      kinds: keyKinds(ORDER_ORDER),
      pageWithCounts: (customerIds, request, filter: { status: OrderStatus | null }) => orders.pageForCustomers(customerIds, request, filter.status),
      parentOf: (row) => row.customerId,
      keyOf: (row) => keyOf(ORDER_ORDER, row),
    }),
    subscriptionsByCustomer: createParentConnectionLoader({
      kinds: keyKinds(SUBSCRIPTION_ORDER),
      pageWithCounts: (customerIds, request, _filter: null) => subscriptions.pageForCustomers(customerIds, request),
      parentOf: (row) => row.customerId,
      keyOf: (row) => keyOf(SUBSCRIPTION_ORDER, row),
    }),
    /** Each delivery boy's route for today (IST, by the request's clock). */
    todaysOrdersByDeliveryBoyId: new DataLoader(async (ids: readonly string[]) => {
      const today = parseDateOnly('today', istDateString(clock.now()));
      return manyByKey(ids, await orders.forDeliveryBoysOn(ids, today), (row) => row.deliveryBoyId!);
    }),
  };
}
