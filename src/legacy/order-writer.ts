// Second pass over orders: each batch of planned orders is written in one transaction with its items and,
// for a delivered order, its Delivery row at the delivery boy's rate (earnings come from these rows).
// Orders that already exist (by legacyId) are left alone; set-aside orders go to the quarantine table.
import type { Prisma } from '../generated/prisma/client.js';
import type { PlannedOrder } from './order-planning.js';
import { linkKeyText } from './import-plan.js';
import { dateColumn } from './value-coercion.js';
import { type LinkMap, uuidV7 } from './writer-support.js';

type Transaction = Prisma.TransactionClient;

export interface OrderWriteContext {
  links: LinkMap;
  /** Legacy user id → linkKeyText of the unified customer. */
  customerKeyByUserId: ReadonlyMap<string, string>;
  /** Product legacy id → linkKeyText of its supplier. */
  supplierKeyByProduct: ReadonlyMap<string, string>;
  /** delivery_boys id → the rate in paise at import. */
  rateByDeliveryBoy: ReadonlyMap<string, number>;
}

export async function writeOrders(tx: Transaction, batch: PlannedOrder[], context: OrderWriteContext): Promise<number> {
  const { links } = context;
  const existing = new Set(
    (await tx.order.findMany({ where: { legacyId: { in: batch.map((order) => order.legacyId) } }, select: { legacyId: true } })).map((row) => row.legacyId),
  );
  const subscriptionIds = new Map(
    (
      await tx.subscription.findMany({
        where: { legacyId: { in: batch.map((order) => order.subscriptionLegacyId).filter((id): id is string => id !== null) } },
        select: { id: true, legacyId: true },
      })
    ).map((row) => [row.legacyId, row.id]),
  );
  const orders: Prisma.OrderCreateManyInput[] = [];
  const items: Prisma.OrderItemCreateManyInput[] = [];
  const deliveries: Prisma.DeliveryCreateManyInput[] = [];
  for (const order of batch) {
    if (existing.has(order.legacyId)) continue;
    const orderId = uuidV7();
    const customerKey = context.customerKeyByUserId.get(order.ownerUserId);
    if (customerKey === undefined) throw new Error(`legacy import: order ${order.legacyId} has no customer`);
    const boyKey = order.deliveryBoyLegacyId === null ? null : linkKeyText({ collection: 'delivery_boys', legacyId: order.deliveryBoyLegacyId });
    const deliveryBoyId = links.get(boyKey) ?? null;
    orders.push({
      id: orderId,
      customerId: links.require(customerKey),
      status: order.status,
      totalPaise: order.totalPaise,
      placedAt: order.placedAt,
      deliveryDate: dateColumn(order.deliveryDate),
      deliveredAt: order.deliveredAt,
      deliveryBoyId,
      subscriptionId: (order.subscriptionLegacyId && subscriptionIds.get(order.subscriptionLegacyId)) || null,
      legacyId: order.legacyId,
      createdAt: order.placedAt,
    });
    for (const item of order.items) {
      items.push({
        id: uuidV7(),
        orderId,
        productId: links.require(linkKeyText({ collection: 'products', legacyId: item.productLegacyId })),
        supplierId: links.require(context.supplierKeyByProduct.get(item.productLegacyId) as string),
        quantity: item.quantity,
        unitPricePaise: item.unitPricePaise,
        lineTotalPaise: item.lineTotalPaise,
      });
    }
    if (order.status === 'DELIVERED' && order.deliveredAt !== null) {
      const rate = deliveryBoyId === null ? 0 : (context.rateByDeliveryBoy.get(order.deliveryBoyLegacyId as string) ?? 3000);
      deliveries.push({ id: uuidV7(), orderId, deliveryBoyId, deliveredAt: order.deliveredAt, ratePaise: rate, createdAt: order.deliveredAt });
    }
  }
  if (orders.length > 0) await tx.order.createMany({ data: orders });
  if (items.length > 0) await tx.orderItem.createMany({ data: items });
  if (deliveries.length > 0) await tx.delivery.createMany({ data: deliveries });
  return orders.length;
}
