import { Arg, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { Auth } from '../../auth/directives.js';
import type { Context } from '../../server/context.js';
import { PlaceOrderInput } from './order.input.js';
import { Order, ORDER_STAFF } from './order.type.js';

@Resolver()
export class OrderResolver {
  @Auth(['ADMIN'])
  @Auth(['CUSTOMER'], { owner: true })
  @Mutation(() => Order, {
    description: 'Places an order for one delivery date; prices and suppliers are copied into the items, the total is exact in '
      + 'paise. The first order moves a NEW customer to ONBOARDED, an order while INACTIVE back to ACTIVE. BAD_USER_INPUT names '
      + 'the field at fault.',
  })
  placeOrder(@Arg('input', () => PlaceOrderInput, { description: 'The order.' }) input: PlaceOrderInput, @Ctx() context: Context) {
    return context.services.orders.place(context.viewer!, input);
  }

  @Auth([...ORDER_STAFF])
  @Auth(['CUSTOMER', 'DELIVERY_BOY'], { owner: true })
  @Query(() => Order, { nullable: true, description: "An order by id; null when it is not the caller's to see." })
  order(@Arg('id', () => ID, { description: 'The order\'s id.' }) id: string, @Ctx() context: Context) {
    return context.services.orders.byId(context.viewer!, id);
  }

  @Auth(['ADMIN'])
  @Mutation(() => Order, { description: 'Hands an undelivered order to another delivery boy; the customer\'s assignment is unchanged.' })
  reassignOrder(
    @Arg('orderId', () => ID, { description: 'The order; NOT_FOUND when there is none.' }) orderId: string,
    @Arg('deliveryBoyId', () => ID, { description: 'The delivery boy who will deliver it (DeliveryBoy.id).' }) deliveryBoyId: string, @Ctx() context: Context) {
    return context.services.orders.reassign(context.viewer!, orderId, deliveryBoyId);
  }
}
