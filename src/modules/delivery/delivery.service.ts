// Deliveries and payouts (SPEC §6). Who may do what:
// - the order's delivery boy, or an admin, marks an order delivered; anyone else is FORBIDDEN whether or
//   not the order exists. The delivery records the delivery boy's rate at that moment (an admin marking
//   it records it for the order's delivery boy; an order with no delivery boy earns nobody anything).
//   Marking a delivered order again changes nothing and earns nothing; a cancelled one is a CONFLICT;
// - an order is delivered on its delivery date (IST): the delivery boy marks only today's orders, an admin
//   may record a past delivery, nobody a future one (BAD_USER_INPUT on orderId, nothing written);
// - earnings are always computed from delivery records, never kept as counters;
// - only admins record payouts, never more than the unpaid balance, never in the future, never dated more
//   than MAX_PAYOUT_AGE_DAYS ago or before his first delivery.
import { recordAudit } from '../audit/index.js';
import { isAdmin, type Viewer } from '../../auth/viewer.js';
import type { Database } from '../../db/client.js';
import type { Clock } from '../../shared/clock.js';
import type { IdempotencyGuard } from '../idempotency/index.js';
import { badUserInput, conflict, forbidden, notFound } from '../../shared/errors.js';
import { assertPaise, formatPaise } from '../../shared/money.js';
import { addDays, formatDateOnly, istDateString } from '../../shared/time.js';
import { recordDelivery } from '../activation/index.js';
import { isUuid } from '../../shared/input-checks.js';
import type { CustomerRepository } from '../customers/index.js';
import type { OrderRepository } from '../orders/index.js';
import type { DeliveryRepository } from './delivery.repository.js';

/** How far back a payout may be dated: a payment is recorded soon after it is made (MONTHLY pay and then some). */
const MAX_PAYOUT_AGE_DAYS = 90;

/**
 * An order is delivered on its delivery date (IST): a delivery boy marks only today's orders, an admin may
 * also record a past delivery, nobody a future one (it would be paid, and activate the customer, early).
 */
function checkDeliveryDay(deliveryDate: Date, now: Date, admin: boolean): void {
  const today = istDateString(now);
  const day = formatDateOnly(deliveryDate);
  if (day > today) throw badUserInput('orderId', `the order is for ${day}: it cannot be delivered before that day`);
  if (day < today && !admin) throw badUserInput('orderId', `the order was for ${day}: only today's (${today}) orders can be marked delivered`);
}

export class DeliveryService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly deliveries: DeliveryRepository,
    /** Orders and customers are other modules': changed and read through their repositories, in this transaction. */
    private readonly owners: { orders: OrderRepository; customers: CustomerRepository },
  ) {}

  async markOrderDelivered(viewer: Viewer, orderId: string, guard?: IdempotencyGuard) {
    const admin = isAdmin(viewer);
    const refuse = () => (admin ? notFound('order') : forbidden("only the order's delivery boy or an admin may mark it delivered"));
    const order = isUuid(orderId) ? await this.owners.orders.findById(orderId.toLowerCase()) : null;
    if (!order) throw refuse();
    if (!admin && (viewer.deliveryBoyId === null || order.deliveryBoyId !== viewer.deliveryBoyId)) throw refuse();
    const deliveredAt = this.clock.now();
    // Before the no-op for a delivered order: a delivery boy gets no other day's order back either.
    checkDeliveryDay(order.deliveryDate, deliveredAt, admin);
    if (order.status === 'DELIVERED') return order;
    if (order.status === 'CANCELLED') throw conflict('a cancelled order cannot be delivered');
    return this.db.$transaction(async (tx) => {
      await guard?.claim(tx);
      if (!(await this.owners.orders.markDelivered(tx, order.id, deliveredAt))) {
        await guard?.complete(tx, order.id);
        return this.owners.orders.findByIdIn(tx, order.id);
      }
      const deliveryBoy = order.deliveryBoyId ? await this.deliveries.findDeliveryBoyIn(tx, order.deliveryBoyId) : null;
      await this.deliveries.createDelivery(tx, {
        orderId: order.id,
        deliveryBoyId: deliveryBoy?.id ?? null,
        deliveredAt,
        ratePaise: deliveryBoy?.ratePerDeliveryPaise ?? 0,
      });
      const customer = await this.owners.customers.findByIdOrThrowIn(tx, order.customerId);
      await recordDelivery(tx, customer, deliveredAt);
      await recordAudit(tx, {
        actorId: viewer.userId,
        targetUserId: customer.userId,
        action: 'order.deliver',
        subject: { type: 'Order', id: order.id },
        before: { status: order.status },
        after: { status: 'DELIVERED', deliveredAt: deliveredAt.toISOString(), deliveryBoyId: deliveryBoy?.id ?? null },
        at: deliveredAt,
      });
      await guard?.complete(tx, order.id);
      return this.owners.orders.findByIdIn(tx, order.id);
    });
  }

  /** A payout by id (what a retried recordPayout answers); NOT_FOUND when there is none. */
  async payoutById(id: string) {
    const payout = await this.deliveries.findPayout(id);
    if (!payout) throw notFound('payout');
    return payout;
  }

  async recordPayout(viewer: Viewer, deliveryBoyId: string, amountPaise: number, paidAtInput: Date | null | undefined, guard?: IdempotencyGuard) {
    const deliveryBoy = isUuid(deliveryBoyId) ? await this.deliveries.findById(deliveryBoyId.toLowerCase()) : null;
    if (!deliveryBoy) throw notFound('delivery boy');
    assertPaise('amountPaise', amountPaise, { min: 1 });
    const now = this.clock.now();
    const paidAt = paidAtInput ?? now;
    if (paidAt.getTime() > now.getTime()) throw badUserInput('paidAt', 'cannot be in the future');
    const earliest = addDays(now, -MAX_PAYOUT_AGE_DAYS);
    if (paidAt.getTime() < earliest.getTime()) {
      throw badUserInput('paidAt', `must be within the last ${MAX_PAYOUT_AGE_DAYS} days (not before ${earliest.toISOString()})`);
    }
    return this.db.$transaction(async (tx) => {
      // The key first: a duplicate waits here for the first to commit, before the balance it would spend.
      await guard?.claim(tx);
      await this.deliveries.lockDeliveryBoy(tx, deliveryBoy.id);
      const [earned] = await this.deliveries.earnings([deliveryBoy.id], null, null, tx);
      const paid = (await this.deliveries.payoutTotals([deliveryBoy.id], tx)).get(deliveryBoy.id) ?? 0;
      const unpaid = (earned?.amountPaise ?? 0) - paid;
      if (amountPaise > unpaid) throw badUserInput('amountPaise', `is more than the unpaid balance of ${formatPaise(unpaid)}`);
      // No advances by date either: nothing was owed to him before his first delivery.
      const firstDelivery = await this.deliveries.firstDeliveryAt(tx, deliveryBoy.id);
      if (firstDelivery && paidAt.getTime() < firstDelivery.getTime()) {
        throw badUserInput('paidAt', `cannot be before his first delivery (${firstDelivery.toISOString()})`);
      }
      const payout = await this.deliveries.createPayout(tx, {
        deliveryBoyId: deliveryBoy.id,
        amountPaise,
        paidAt,
        recordedById: viewer.userId,
        createdAt: now,
      });
      await recordAudit(tx, {
        actorId: viewer.userId,
        targetUserId: deliveryBoy.userId,
        action: 'payout.record',
        subject: { type: 'Payout', id: payout.id },
        before: { unpaidPaise: unpaid },
        after: { deliveryBoyId: deliveryBoy.id, amountPaise, paidAt: paidAt.toISOString(), unpaidPaise: unpaid - amountPaise },
        at: now,
      });
      await guard?.complete(tx, payout.id);
      return payout;
    });
  }
}
