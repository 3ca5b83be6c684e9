import { Arg, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { Auth } from '../../auth/directives.js';
import type { OwnershipChecks } from '../../auth/authorization.js';
import type { Context } from '../context.js';
import { Money, money } from '../../graphql/money.type.js';
import { User } from '../identity/index.js';
import { Order } from '../orders/index.js';
import { DeliveryBoy } from './delivery-boy.type.js';
import { Earnings, Payout, Period } from './earnings.type.js';

interface DeliveryBoyRow {
  id: string;
  userId: string;
  ratePerDeliveryPaise: number;
  /** Present when the row came by id (deliveryBoyById joins the user's name). */
  userName?: string;
}

@Resolver(() => DeliveryBoy)
export class DeliveryBoyFieldResolver {
  @Auth(['ADMIN', 'MARKETING_STAFF'])
  @Auth(['DELIVERY_BOY', 'CUSTOMER'], { owner: true })
  @FieldResolver(() => String, { description: 'His name, from his user.' })
  name(@Root() deliveryBoy: DeliveryBoyRow, @Ctx() context: Context) {
    if (deliveryBoy.userName !== undefined) return deliveryBoy.userName;
    return context.loaders.userById.load(deliveryBoy.userId).then((user) => user?.name ?? '');
  }

  @Auth(['ADMIN'])
  @Auth(['DELIVERY_BOY'], { owner: true })
  @FieldResolver(() => User, { nullable: true, description: 'The user this delivery-boy facet belongs to.' })
  user(@Root() deliveryBoy: DeliveryBoyRow, @Ctx() context: Context) {
    return context.loaders.userById.load(deliveryBoy.userId);
  }

  @Auth(['ADMIN'])
  @Auth(['DELIVERY_BOY'], { owner: true })
  @FieldResolver(() => Money, { description: 'What each delivery earns him now; past deliveries keep their rate.' })
  ratePerDelivery(@Root() deliveryBoy: DeliveryBoyRow) {
    return money(deliveryBoy.ratePerDeliveryPaise);
  }

  @Auth(['ADMIN'])
  @Auth(['DELIVERY_BOY'], { owner: true })
  @FieldResolver(() => Earnings, { description: 'His deliveries and their amount in the IST period containing now, from delivery records.' })
  async earnings(
    @Root() deliveryBoy: DeliveryBoyRow,
    @Arg('period', () => Period, { description: 'Which period: TODAY, WEEK, MONTH or ALL_TIME.' }) period: Period,
    @Ctx() context: Context,
  ) {
    const row = await context.loaders.earningsByDeliveryBoy.load({ deliveryBoyId: deliveryBoy.id, period });
    return { period, deliveries: row.deliveries, amount: money(row.amountPaise) };
  }

  @Auth(['ADMIN'])
  @Auth(['DELIVERY_BOY'], { owner: true })
  @FieldResolver(() => Money, { description: 'All-time earnings less all payouts: what he is owed now.' })
  async unpaidBalance(@Root() deliveryBoy: DeliveryBoyRow, @Ctx() context: Context) {
    const [earned, paid] = await Promise.all([
      context.loaders.earningsByDeliveryBoy.load({ deliveryBoyId: deliveryBoy.id, period: Period.ALL_TIME }),
      context.loaders.payoutTotalByDeliveryBoyId.load(deliveryBoy.id),
    ]);
    return money(earned.amountPaise - paid);
  }

  @Auth(['ADMIN'])
  @Auth(['DELIVERY_BOY'], { owner: true })
  @FieldResolver(() => Payout, { nullable: true, description: 'His latest payout by paidAt; null before the first.' })
  lastPayout(@Root() deliveryBoy: DeliveryBoyRow, @Ctx() context: Context) {
    return context.loaders.lastPayoutByDeliveryBoyId.load(deliveryBoy.id);
  }

  @Auth(['ADMIN'])
  @Auth(['DELIVERY_BOY'], { owner: true })
  @FieldResolver(() => [Order], { description: 'His route: his orders whose delivery date is today (IST), cancelled ones left out.' })
  todaysOrders(@Root() deliveryBoy: DeliveryBoyRow, @Ctx() context: Context) {
    return context.loaders.todaysOrdersByDeliveryBoyId.load(deliveryBoy.id);
  }
}

@Resolver(() => Payout)
export class PayoutFieldResolver {
  @Auth(['ADMIN'])
  @Auth(['DELIVERY_BOY'], { owner: true })
  @FieldResolver(() => Money, { description: 'How much was paid.' })
  amount(@Root() payout: { amountPaise: number }) {
    return money(payout.amountPaise);
  }
}

export const payoutOwnership: OwnershipChecks = {
  Payout: (viewer, payout: { deliveryBoyId: string }, role) =>
    role === 'DELIVERY_BOY' && viewer.deliveryBoyId !== null && payout.deliveryBoyId === viewer.deliveryBoyId,
};
