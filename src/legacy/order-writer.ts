// Second pass over orders: each batch of planned orders is written in one transaction with its items and,
// for a delivered order, its Delivery row at the delivery boy's rate (earnings come from these rows).
// Orders that already exist (by legacyId) are left alone; set-aside orders go to the quarantine table.
// Rows go in as one `INSERT … SELECT FROM unnest(…)` per table (unnest-insert.ts).
import type { Prisma } from '../generated/prisma/client.js';
import type { PlannedOrder } from './order-planning.js';
import { linkKeyText } from './import-plan.js';
import { dateColumn, dateColumnText } from './value-coercion.js';
import { insertRows, insertRowsReturning } from './unnest-insert.js';
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
  const orders: OrderRow[] = [];
  const items: ItemRow[] = [];
  const deliveries: DeliveryRow[] = [];
  for (const order of batch) {
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
      deliveryDate: dateColumnText(dateColumn(order.deliveryDate)),
      deliveredAt: order.deliveredAt,
      deliveryBoyId,
      subscriptionLegacyId: order.subscriptionLegacyId,
      legacyId: order.legacyId,
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
      deliveries.push({ id: uuidV7(), orderId, deliveryBoyId, deliveredAt: order.deliveredAt, ratePaise: rate });
    }
  }
  // An order written by an earlier run keeps its row; its items and delivery are not written again.
  const written = new Set(await insertOrders(tx, orders));
  await insertItems(
    tx,
    items.filter((item) => written.has(item.orderId)),
  );
  await insertDeliveries(
    tx,
    deliveries.filter((delivery) => written.has(delivery.orderId)),
  );
  return written.size;
}

interface OrderRow {
  id: string;
  customerId: string;
  status: PlannedOrder['status'];
  totalPaise: number;
  placedAt: Date;
  /** YYYY-MM-DD */
  deliveryDate: string;
  deliveredAt: Date | null;
  deliveryBoyId: string | null;
  /** Resolved to the subscription's row in the statement itself. */
  subscriptionLegacyId: string | null;
  legacyId: string;
}

interface ItemRow {
  id: string;
  orderId: string;
  productId: string;
  supplierId: string;
  quantity: number;
  unitPricePaise: number;
  lineTotalPaise: number;
}

interface DeliveryRow {
  id: string;
  orderId: string;
  deliveryBoyId: string | null;
  deliveredAt: Date;
  ratePaise: number;
}

// An order was created when it was placed; updatedAt is the import's time.
// Answers the ids of the orders that went in (an order whose legacyId exists is left alone).
async function insertOrders(tx: Transaction, rows: OrderRow[]): Promise<string[]> {
  const types = {
    id: 'uuid',
    customerId: 'uuid',
    status: '"OrderStatus"',
    totalPaise: 'int',
    placedAt: 'timestamptz',
    deliveryDate: 'date',
    deliveredAt: 'timestamptz',
    deliveryBoyId: 'uuid',
    subscriptionLegacyId: 'text',
    legacyId: 'text',
  } as const;
  const written = await insertRowsReturning<OrderRow, { id: string }>(tx, 'Order', types, rows, '"id"', {
    inputsOnly: ['subscriptionLegacyId'],
    join: 'LEFT JOIN "Subscription" s ON s."legacyId" = r."subscriptionLegacyId"',
    computed: { subscriptionId: 's."id"', createdAt: 'r."placedAt"', updatedAt: 'now()' },
    onConflict: 'ON CONFLICT ("legacyId") DO NOTHING',
  });
  return written.map((row) => row.id);
}

async function insertItems(tx: Transaction, rows: ItemRow[]): Promise<void> {
  const types = {
    id: 'uuid',
    orderId: 'uuid',
    productId: 'uuid',
    supplierId: 'uuid',
    quantity: 'int',
    unitPricePaise: 'int',
    lineTotalPaise: 'int',
  } as const;
  await insertRows(tx, 'OrderItem', types, rows);
}

async function insertDeliveries(tx: Transaction, rows: DeliveryRow[]): Promise<void> {
  const types = { id: 'uuid', orderId: 'uuid', deliveryBoyId: 'uuid', deliveredAt: 'timestamptz', ratePaise: 'int' } as const;
  await insertRows(tx, 'Delivery', types, rows, { computed: { createdAt: 'r."deliveredAt"' } });
}
