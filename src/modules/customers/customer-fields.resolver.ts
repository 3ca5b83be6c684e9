import { Arg, Args, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { Auth } from '../../auth/directives.js';
import type { Context } from '../context.js';
import { DeliveryBoy } from '../delivery/index.js';
import { User } from '../identity/index.js';
import { PageArgs } from '../../graphql/connection.type.js';
import { OrderConnection, OrderStatus, SubscriptionConnection } from '../orders/index.js';
import { Customer, CUSTOMER_STAFF } from './customer.type.js';

interface CustomerRow {
  id: string;
  userId: string;
  deliveryBoyId: string | null;
}

// A delivery boy reaches his customers' orders only through his route (DeliveryBoy.todaysOrders).
@Resolver(() => Customer)
export class CustomerFieldResolver {
  @Auth([...CUSTOMER_STAFF])
  @Auth(['CUSTOMER'], { owner: true })
  @FieldResolver(() => User, {
    nullable: true,
    description: 'The user this customer facet belongs to (without a password until claimed, when signed up by staff).',
  })
  user(@Root() customer: CustomerRow, @Ctx() context: Context) {
    return context.loaders.userById.load(customer.userId);
  }

  @Auth([...CUSTOMER_STAFF])
  @Auth(['CUSTOMER'], { owner: true })
  @FieldResolver(() => DeliveryBoy, { nullable: true, description: 'The delivery boy assigned to the customer; null until an admin assigns one.' })
  deliveryBoy(@Root() customer: CustomerRow, @Ctx() context: Context) {
    return customer.deliveryBoyId ? context.loaders.deliveryBoyById.load(customer.deliveryBoyId) : null;
  }

  @Auth([...CUSTOMER_STAFF])
  @Auth(['CUSTOMER'], { owner: true })
  @FieldResolver(() => SubscriptionConnection, { description: "The customer's subscriptions, oldest first." })
  subscriptions(@Root() customer: CustomerRow, @Args(() => PageArgs) page: PageArgs, @Ctx() context: Context) {
    return context.loaders.subscriptionsByCustomer.page(customer.id, page, null);
  }

  @Auth([...CUSTOMER_STAFF])
  @Auth(['CUSTOMER'], { owner: true })
  @FieldResolver(() => OrderConnection, { description: "The customer's orders, newest first." })
  orders(
    @Root() customer: CustomerRow,
    @Args(() => PageArgs) page: PageArgs,
    @Arg('status', () => OrderStatus, { nullable: true, description: 'Only orders in this status; default all.' }) status: OrderStatus | null,
    @Ctx() context: Context,
  ) {
    return context.loaders.ordersByCustomer.page(customer.id, page, { status: status ?? null });
  }
}
