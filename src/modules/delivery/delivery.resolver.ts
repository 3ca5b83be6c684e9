import { Arg, Ctx, ID, Int, Mutation, Resolver } from 'type-graphql';
import { Auth } from '../../auth/directives.js';
import { requireRecentSecondFactor, STEP_UP_NOTE } from '../../auth/second-factor.js';
import type { Context } from '../context.js';
import { notFound } from '../../shared/errors.js';
import { IDEMPOTENCY_KEY_DESCRIPTION, idempotentRequest } from '../idempotency/index.js';
import { Order } from '../orders/index.js';
import { Payout } from './earnings.type.js';

@Resolver()
export class DeliveryResolver {
  @Auth(['DELIVERY_BOY'], { owner: true, scopedBy: 'viewer' })
  @Mutation(() => Order, {
    description:
      "Records the delivery at the delivery boy's current rate: by the order's delivery boy (FORBIDDEN for anyone else, " +
      'whether or not the order exists) or an admin (NOT_FOUND for an unknown order). Marking it again changes nothing; ' +
      "a cancelled order is a CONFLICT. Only on its delivery date (IST): a delivery boy marks today's orders, an admin also " +
      'past ones, nobody a future one (BAD_USER_INPUT naming orderId). Takes an idempotency key like placeOrder.',
  })
  markOrderDelivered(
    @Arg('orderId', () => ID, { description: 'The order delivered.' }) orderId: string,
    @Arg('idempotencyKey', () => String, { nullable: true, description: IDEMPOTENCY_KEY_DESCRIPTION }) idempotencyKey: string | null,
    @Ctx() context: Context,
  ) {
    return context.services.idempotency.run(idempotentRequest(context, 'markOrderDelivered', { orderId }, idempotencyKey), {
      execute: (guard) => context.services.deliveries.markOrderDelivered(context.viewer!, orderId, guard),
      idOf: (order) => order.id,
      replay: async (id) => (await context.loaders.orderById.load(id)) ?? Promise.reject(notFound('order')),
    });
  }

  @Auth(['ADMIN'])
  @Mutation(() => Payout, {
    description:
      'Records money paid to a delivery boy against his unpaid balance. Audit-logged. Safe to retry with an idempotency ' +
      `key (idempotencyKey or the Idempotency-Key header): a retry answers the payout recorded, not a second one. ${STEP_UP_NOTE}`,
  })
  recordPayout(
    @Arg('deliveryBoyId', () => ID, { description: 'Who was paid (DeliveryBoy.id); NOT_FOUND when there is none.' }) deliveryBoyId: string,
    @Arg('amountPaise', () => Int, {
      description: 'How much, in paise (₹1 = 100): at least 1 and at most his unpaid balance (BAD_USER_INPUT beyond, naming it).',
    })
    amountPaise: number,
    @Arg('paidAt', () => Date, {
      nullable: true,
      description: 'When it was paid; default now. BAD_USER_INPUT when in the future, more than 90 days ago or before his first delivery.',
    })
    paidAt: Date | null,
    @Arg('idempotencyKey', () => String, { nullable: true, description: IDEMPOTENCY_KEY_DESCRIPTION }) idempotencyKey: string | null,
    @Ctx() context: Context,
  ) {
    requireRecentSecondFactor(context.viewer!, context.clock.now());
    return context.services.idempotency.run(idempotentRequest(context, 'recordPayout', { deliveryBoyId, amountPaise, paidAt }, idempotencyKey), {
      execute: (guard) => context.services.deliveries.recordPayout(context.viewer!, deliveryBoyId, amountPaise, paidAt, guard),
      idOf: (payout) => payout.id,
      replay: (id) => context.services.deliveries.payoutById(id),
    });
  }
}
