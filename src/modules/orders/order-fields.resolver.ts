import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { Auth, Public } from '../../auth/directives.js';
import type { OwnershipChecks } from '../../auth/authorization.js';
import type { Context } from '../context.js';
import { Money, money } from '../../graphql/money.type.js';
import { Product } from '../catalogue/index.js';
import { Customer } from '../customers/index.js';
import { DeliveryBoy } from '../delivery/index.js';
import { Order, OrderItem, ORDER_STAFF } from './order.type.js';
import { isOnTodaysRoute } from './order.rules.js';

interface OrderItemRow {
  productId: string;
  unitPricePaise: number;
  lineTotalPaise: number;
  /** Present when the item came with a page of orders. */
  product?: unknown;
}

interface OrderRow {
  id: string;
  customerId: string;
  deliveryBoyId: string | null;
  deliveryDate: Date;
  totalPaise: number;
  /** Present when the order came with a page of orders (see OrderRepository.pageForCustomers). */
  items?: OrderItemRow[];
  /** Present when the order came with a delivery boy's route (OrderRepository.forDeliveryBoysOn). */
  customer?: unknown;
}

@Resolver(() => Order)
export class OrderFieldResolver {
  @Auth([...ORDER_STAFF])
  @Auth(['CUSTOMER', 'DELIVERY_BOY'], { owner: true })
  @FieldResolver(() => Customer, { description: 'Whose order it is.' })
  customer(@Root() order: OrderRow, @Ctx() context: Context) {
    return order.customer ?? context.loaders.customerById.load(order.customerId);
  }

  @Auth([...ORDER_STAFF])
  @Auth(['CUSTOMER', 'DELIVERY_BOY'], { owner: true })
  @FieldResolver(() => Money, { description: 'The sum of its line totals, exact in paise.' })
  total(@Root() order: OrderRow) {
    return money(order.totalPaise);
  }

  @Auth([...ORDER_STAFF])
  @Auth(['CUSTOMER', 'DELIVERY_BOY'], { owner: true })
  @FieldResolver(() => [OrderItem], { description: 'Its lines, one per product.' })
  items(@Root() order: OrderRow, @Ctx() context: Context) {
    return order.items ?? context.loaders.orderItemsByOrderId.load(order.id);
  }

  @Auth([...ORDER_STAFF])
  @Auth(['CUSTOMER', 'DELIVERY_BOY'], { owner: true })
  @FieldResolver(() => DeliveryBoy, {
    nullable: true,
    description: "Who delivers it: the customer's delivery boy when it was placed, or whom an admin reassigned it to; null when the " + 'customer had none.',
  })
  deliveryBoy(@Root() order: OrderRow, @Ctx() context: Context) {
    return order.deliveryBoyId ? context.loaders.deliveryBoyById.load(order.deliveryBoyId) : null;
  }
}

@Resolver(() => OrderItem)
export class OrderItemFieldResolver {
  @Public()
  @FieldResolver(() => Product, { description: 'The product ordered (its current name and price; unitPrice is the one charged).' })
  product(@Root() item: OrderItemRow, @Ctx() context: Context) {
    return item.product ?? context.loaders.productById.load(item.productId);
  }

  @Public()
  @FieldResolver(() => Money, { description: 'The price of one unit when the order was placed: what is charged.' })
  unitPrice(@Root() item: OrderItemRow) {
    return money(item.unitPricePaise);
  }

  @Public()
  @FieldResolver(() => Money, { description: 'unitPrice × quantity.' })
  lineTotal(@Root() item: OrderItemRow) {
    return money(item.lineTotalPaise);
  }
}

export const orderOwnership: OwnershipChecks = {
  Order: (viewer, order: OrderRow, role, context: Context) => {
    if (role === 'CUSTOMER') return viewer.customerId !== null && order.customerId === viewer.customerId;
    // Every path to an order (order(id), todaysOrders, markOrderDelivered's answer) meets this rule.
    if (role === 'DELIVERY_BOY') return isOnTodaysRoute(viewer.deliveryBoyId, order, context.clock.now());
    return false;
  },
  Subscription: (viewer, subscription: { customerId: string }, role) =>
    role === 'CUSTOMER' && viewer.customerId !== null && subscription.customerId === viewer.customerId,
};
