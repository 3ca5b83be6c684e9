import { Arg, Ctx, ID, Int, Mutation, Resolver } from 'type-graphql';
import { Auth } from '../../auth/directives.js';
import type { Context } from '../../server/context.js';
import { Order } from '../orders/index.js';
import { Payout } from './earnings.type.js';

@Resolver()
export class DeliveryResolver {
  @Auth(['DELIVERY_BOY'], { owner: true })
  @Mutation(() => Order, { description: "By the order's delivery boy or an admin; marking it again changes nothing." })
  markOrderDelivered(@Arg('orderId', () => ID) orderId: string, @Ctx() context: Context) {
    return context.services.deliveries.markOrderDelivered(context.viewer!, orderId);
  }

  @Auth(['ADMIN'])
  @Mutation(() => Payout, { description: 'At most the unpaid balance; paidAt defaults to now and cannot be in the future.' })
  recordPayout(
    @Arg('deliveryBoyId', () => ID) deliveryBoyId: string,
    @Arg('amountPaise', () => Int) amountPaise: number,
    @Arg('paidAt', () => Date, { nullable: true }) paidAt: Date | null,
    @Ctx() context: Context,
  ) {
    return context.services.deliveries.recordPayout(context.viewer!, deliveryBoyId, amountPaise, paidAt);
  }
}
