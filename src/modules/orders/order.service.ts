// Orders (SPEC §6). Who may do what:
// - a customer places orders for itself; an admin may place one for any customer (naming it);
// - an order copies each product's current price and supplier into its items, so later price changes
//   never touch it; its delivery boy is the one assigned to the customer at that moment;
// - a customer reads its own orders, a delivery boy the orders he delivers today (IST), admins and
//   marketing staff all; anyone else gets null for an id, whether or not it exists;
// - admins may hand an order to another delivery boy.
import { recordAudit } from '../audit/index.js';
import { hasRole, isAdmin, type Viewer } from '../../auth/viewer.js';
import type { Database } from '../../db/client.js';
import type { Clock } from '../../shared/clock.js';
import type { IdempotencyGuard } from '../idempotency/index.js';
import { badUserInput, notFound } from '../../shared/errors.js';
import { formatPaise } from '../../shared/money.js';
import { formatDateOnly } from '../../shared/time.js';
import { recordOrderPlaced } from '../activation/index.js';
import type { ProductRepository } from '../catalogue/index.js';
import type { CustomerRepository } from '../customers/index.js';
import type { DeliveryRepository } from '../delivery/index.js';
import { isUuid, requireQuantity, requireUuid } from '../../shared/input-checks.js';
import type { OrderRepository } from './order.repository.js';
import { checkPlannableDate, customerActedFor, isOnTodaysRoute } from './order.rules.js';

const MAX_ORDER_LINES = 50;

export interface PlaceOrderInput {
  items: { productId: string; quantity: number }[];
  deliveryDate: Date;
  subscriptionId?: string | null;
  customerId?: string | null;
}

export class OrderService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly orders: OrderRepository,
    private readonly products: ProductRepository,
    /** The customers and delivery boys orders name: read through their owners. */
    private readonly owners: { customers: CustomerRepository; deliveryBoys: DeliveryRepository },
  ) {}

  async place(viewer: Viewer, input: PlaceOrderInput, guard?: IdempotencyGuard) {
    const customerId = customerActedFor(viewer, input.customerId, ['ADMIN']);
    const now = this.clock.now();
    const lines = this.checkLines(input.items);
    checkPlannableDate('input.deliveryDate', input.deliveryDate, now);
    const subscriptionId = await this.checkSubscription(input.subscriptionId, customerId);

    const products = new Map((await this.products.findByIds(lines.map((line) => line.productId))).map((row) => [row.id, row]));
    const items = lines.map((line, index) => {
      const product = products.get(line.productId);
      if (!product) throw badUserInput(`input.items[${index}].productId`, 'no such product');
      if (!product.active) throw badUserInput(`input.items[${index}].productId`, 'is not available any more');
      return {
        productId: product.id,
        supplierId: product.supplierId,
        quantity: line.quantity,
        unitPricePaise: product.pricePaise,
        lineTotalPaise: product.pricePaise * line.quantity,
      };
    });
    const totalPaise = items.reduce((sum, item) => sum + item.lineTotalPaise, 0);
    if (!Number.isSafeInteger(totalPaise)) throw badUserInput('input.items', 'the order total is too large');

    return this.db.$transaction(async (tx) => {
      await guard?.claim(tx);
      const customer = await this.owners.customers.findByIdIn(tx, customerId);
      if (!customer || customer.archivedAt || customer.mergedIntoId) throw badUserInput('input.customerId', 'no such customer');
      const order = await this.orders.create(tx, {
        customerId,
        deliveryBoyId: customer.deliveryBoyId,
        subscriptionId,
        deliveryDate: input.deliveryDate,
        placedAt: now,
        totalPaise,
        items,
      });
      await recordOrderPlaced(tx, customer, order, {
        total: formatPaise(totalPaise),
        deliveryDate: formatDateOnly(input.deliveryDate),
      });
      // A customer's own order is its own business; an admin ordering for a customer is audited.
      if (customer.id !== viewer.customerId) {
        await recordAudit(tx, {
          actorId: viewer.userId,
          targetUserId: customer.userId,
          action: 'order.place',
          subject: { type: 'Order', id: order.id },
          before: null,
          after: { customerId, totalPaise, deliveryDate: formatDateOnly(input.deliveryDate), items: items.length },
          at: now,
        });
      }
      await guard?.complete(tx, order.id);
      return order;
    });
  }

  private checkLines(items: PlaceOrderInput['items']) {
    if (!Array.isArray(items) || items.length === 0) throw badUserInput('input.items', 'order at least one product');
    if (items.length > MAX_ORDER_LINES) throw badUserInput('input.items', `at most ${MAX_ORDER_LINES} lines`);
    const seen = new Set<string>();
    return items.map((item, index) => {
      const productId = requireUuid(`input.items[${index}].productId`, item.productId);
      if (seen.has(productId)) throw badUserInput(`input.items[${index}].productId`, 'list each product once');
      seen.add(productId);
      return { productId, quantity: requireQuantity(`input.items[${index}].quantity`, item.quantity) };
    });
  }

  private async checkSubscription(subscriptionId: string | null | undefined, customerId: string) {
    if (subscriptionId === null || subscriptionId === undefined) return null;
    const subscription = isUuid(subscriptionId) ? await this.orders.findSubscription(subscriptionId.toLowerCase()) : null;
    // Another customer's subscription answers like a missing one.
    if (!subscription || subscription.customerId !== customerId) throw badUserInput('input.subscriptionId', 'no such subscription');
    return subscription.id;
  }

  async byId(viewer: Viewer, id: string) {
    if (!isUuid(id)) return null;
    const order = await this.orders.findById(id.toLowerCase());
    if (!order) return null;
    if (isAdmin(viewer) || hasRole(viewer, 'MARKETING_STAFF')) return order;
    if (viewer.customerId && order.customerId === viewer.customerId) return order;
    if (isOnTodaysRoute(viewer.deliveryBoyId, order, this.clock.now())) return order;
    return null;
  }

  async reassign(viewer: Viewer, orderId: string, deliveryBoyIdInput: string) {
    const deliveryBoyId = requireUuid('deliveryBoyId', deliveryBoyIdInput);
    const order = isUuid(orderId) ? await this.orders.findById(orderId.toLowerCase()) : null;
    if (!order) throw notFound('order');
    if (order.status === 'DELIVERED' || order.status === 'CANCELLED') {
      throw badUserInput('orderId', `the order is already ${order.status.toLowerCase()}`);
    }
    if (!(await this.owners.deliveryBoys.isActingDeliveryBoy(deliveryBoyId))) throw badUserInput('deliveryBoyId', 'no such delivery boy');
    const updated = await this.orders.reassign(order.id, deliveryBoyId);
    await recordAudit(this.db, {
      actorId: viewer.userId,
      targetUserId: await this.owners.customers.userIdOf(order.customerId),
      action: 'order.reassign',
      subject: { type: 'Order', id: order.id },
      before: { deliveryBoyId: order.deliveryBoyId },
      after: { deliveryBoyId },
      at: this.clock.now(),
    });
    return updated;
  }
}
