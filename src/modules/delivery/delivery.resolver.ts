import { Arg, Ctx, ID, Int, Mutation, Resolver } from 'type-graphql';
import { Auth } from '../../auth/directives.js';
import type { Context } from '../../server/context.js';
import { Order } from '../orders/index.js';
import { Payout } from './earnings.type.js';

@Resolver()
export class DeliveryResolver {
  @Auth(['DELIVERY_BOY'], { owner: true })
  @Mutation(() => Order, {
    description: "Records the delivery at the delivery boy's current rate: by the order's delivery boy (FORBIDDEN for anyone else, "
      + 'whether or not the order exists) or an admin (NOT_FOUND for an unknown order). Marking it again changes nothing; '
      + 'a cancelled order is a CONFLICT.',
  })
  markOrderDelivered(@Arg('orderId', () => ID, { description: 'The order delivered.' }) orderId: string, @Ctx() context: Context) {
    return context.services.deliveries.markOrderDelivered(context.viewer!, orderId);
  }

  @Auth(['ADMIN'])
  @Mutation(() => Payout, { description: 'Records money paid to a delivery boy against his unpaid balance. Audit-logged.' })
  recordPayout(
    @Arg('deliveryBoyId', () => ID, { description: 'Who was paid (DeliveryBoy.id); NOT_FOUND when there is none.' }) deliveryBoyId: string,
    @Arg('amountPaise', () => Int, {
      description: 'How much, in paise (₹1 = 100): at least 1 and at most his unpaid balance (BAD_USER_INPUT beyond, naming it).',
    })
    amountPaise: number,
    @Arg('paidAt', () => Date, { nullable: true, description: 'When it was paid; default now, BAD_USER_INPUT when in the future.' }) paidAt: Date | null,
    @Ctx() context: Context,
  ) {
    return context.services.deliveries.recordPayout(context.viewer!, deliveryBoyId, amountPaise, paidAt);
  }
}
