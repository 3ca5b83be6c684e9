import { Arg, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { Auth } from '../../auth/directives.js';
import type { Context } from '../context.js';
import { notFound } from '../../shared/errors.js';
import { IDEMPOTENCY_KEY_DESCRIPTION, idempotentRequest } from '../idempotency/index.js';
import { PlaceOrderInput } from './order.input.js';
import { Order, ORDER_STAFF } from './order.type.js';

@Resolver()
export class OrderResolver {
  @Auth(['ADMIN'])
  @Auth(['CUSTOMER'], { owner: true, scopedBy: 'viewer' })
  @Mutation(() => Order, {
    description:
      'Places an order for one delivery date; prices and suppliers are copied into the items, the total is exact in ' +
      'paise. The first order moves a NEW customer to ONBOARDED, an order while INACTIVE back to ACTIVE. BAD_USER_INPUT names ' +
      'the field at fault. Safe to retry with an idempotency key (idempotencyKey or the Idempotency-Key header).',
  })
  placeOrder(
    @Arg('input', () => PlaceOrderInput, { description: 'The order.' }) input: PlaceOrderInput,
    @Arg('idempotencyKey', () => String, { nullable: true, description: IDEMPOTENCY_KEY_DESCRIPTION }) idempotencyKey: string | null,
    @Ctx() context: Context,
  ) {
    return context.services.idempotency.run(idempotentRequest(context, 'placeOrder', { input }, idempotencyKey), {
      execute: (guard) => context.services.orders.place(context.viewer!, input, guard),
      idOf: (order) => order.id,
      replay: async (id) => (await context.loaders.orderById.load(id)) ?? Promise.reject(notFound('order')),
    });
  }

  @Auth([...ORDER_STAFF])
  @Auth(['CUSTOMER', 'DELIVERY_BOY'], { owner: true, scopedBy: 'viewer' })
  @Query(() => Order, { nullable: true, description: "An order by id; null when it is not the caller's to see." })
  order(@Arg('id', () => ID, { description: "The order's id." }) id: string, @Ctx() context: Context) {
    return context.services.orders.byId(context.viewer!, id);
  }

  @Auth(['ADMIN'])
  @Mutation(() => Order, { description: "Hands an undelivered order to another delivery boy; the customer's assignment is unchanged." })
  reassignOrder(
    @Arg('orderId', () => ID, { description: 'The order; NOT_FOUND when there is none.' }) orderId: string,
    @Arg('deliveryBoyId', () => ID, { description: 'The delivery boy who will deliver it (DeliveryBoy.id).' }) deliveryBoyId: string,
    @Ctx() context: Context,
  ) {
    return context.services.orders.reassign(context.viewer!, orderId, deliveryBoyId);
  }
}
