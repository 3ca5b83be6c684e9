import { Arg, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { Auth } from '../../auth/directives.js';
import type { Context } from '../../server/context.js';
import { PlaceOrderInput } from './order.input.js';
import { Order, ORDER_STAFF } from './order.type.js';

@Resolver()
export class OrderResolver {
  @Auth(['ADMIN'])
  @Auth(['CUSTOMER'], { owner: true })
  @Mutation(() => Order, { description: 'Prices and suppliers are copied into the items; the total is exact in paise.' })
  placeOrder(@Arg('input', () => PlaceOrderInput) input: PlaceOrderInput, @Ctx() context: Context) {
    return context.services.orders.place(context.viewer!, input);
  }

  @Auth([...ORDER_STAFF])
  @Auth(['CUSTOMER', 'DELIVERY_BOY'], { owner: true })
  @Query(() => Order, { nullable: true, description: "An order by id; null when it is not the caller's to see." })
  order(@Arg('id', () => ID) id: string, @Ctx() context: Context) {
    return context.services.orders.byId(context.viewer!, id);
  }

  @Auth(['ADMIN'])
  @Mutation(() => Order, { description: 'Hands an undelivered order to another delivery boy.' })
  reassignOrder(@Arg('orderId', () => ID) orderId: string, @Arg('deliveryBoyId', () => ID) deliveryBoyId: string, @Ctx() context: Context) {
    return context.services.orders.reassign(context.viewer!, orderId, deliveryBoyId);
  }
}
