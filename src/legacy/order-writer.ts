// Second pass over orders: each batch of planned orders is written in one transaction with its items and,
// for a delivered order, its Delivery row at the delivery boy's rate (earnings come from these rows).
// Orders that already exist (by legacyId) are left alone; set-aside orders go to the quarantine table.
// Rows go in as one `INSERT … SELECT FROM unnest(…)` per table, one array parameter per column: Prisma's
// createMany spends most of a large import building per-row placeholders (bench: the importer's profile).
import type { Prisma } from '../generated/prisma/client.js';
import type { PlannedOrder } from './order-planning.js';
import { linkKeyText } from './import-plan.js';
import { dateColumn, dateColumnText } from './value-coercion.js';
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
  const orders: OrderRow[] = [];
  const items: ItemRow[] = [];
  const deliveries: DeliveryRow[] = [];
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
      deliveryDate: dateColumnText(dateColumn(order.deliveryDate)),
      deliveredAt: order.deliveredAt,
      deliveryBoyId,
      subscriptionId: (order.subscriptionLegacyId && subscriptionIds.get(order.subscriptionLegacyId)) || null,
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
  await insertOrders(tx, orders);
  await insertItems(tx, items);
  await insertDeliveries(tx, deliveries);
  return orders.length;
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
  subscriptionId: string | null;
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

const instants = (values: (Date | null)[]) => values.map((value) => (value === null ? null : value.toISOString()));

// An order was created when it was placed, as createMany wrote it before; updatedAt is the import's time.
async function insertOrders(tx: Transaction, rows: OrderRow[]): Promise<void> {
  if (rows.length === 0) return;
  const column = <K extends keyof OrderRow>(key: K) => rows.map((row) => row[key]);
  await tx.$executeRaw`
    INSERT INTO "Order" ("id", "customerId", "status", "totalPaise", "placedAt", "deliveryDate", "deliveredAt", "deliveryBoyId",
      "subscriptionId", "legacyId", "createdAt", "updatedAt")
    SELECT o."id", o."customerId", o."status", o."totalPaise", o."placedAt", o."deliveryDate", o."deliveredAt", o."deliveryBoyId",
      o."subscriptionId", o."legacyId", o."placedAt", now()
    FROM unnest(${column('id')}::uuid[], ${column('customerId')}::uuid[], ${column('status')}::"OrderStatus"[], ${column('totalPaise')}::int[],
      ${instants(column('placedAt'))}::timestamptz[], ${column('deliveryDate')}::date[], ${instants(column('deliveredAt'))}::timestamptz[],
      ${column('deliveryBoyId')}::uuid[], ${column('subscriptionId')}::uuid[], ${column('legacyId')}::text[])
      AS o ("id", "customerId", "status", "totalPaise", "placedAt", "deliveryDate", "deliveredAt", "deliveryBoyId", "subscriptionId", "legacyId")`;
}

async function insertItems(tx: Transaction, rows: ItemRow[]): Promise<void> {
  if (rows.length === 0) return;
  const column = <K extends keyof ItemRow>(key: K) => rows.map((row) => row[key]);
  await tx.$executeRaw`
    INSERT INTO "OrderItem" ("id", "orderId", "productId", "supplierId", "quantity", "unitPricePaise", "lineTotalPaise")
    SELECT * FROM unnest(${column('id')}::uuid[], ${column('orderId')}::uuid[], ${column('productId')}::uuid[], ${column('supplierId')}::uuid[],
      ${column('quantity')}::int[], ${column('unitPricePaise')}::int[], ${column('lineTotalPaise')}::int[])`;
}

async function insertDeliveries(tx: Transaction, rows: DeliveryRow[]): Promise<void> {
  if (rows.length === 0) return;
  const column = <K extends keyof DeliveryRow>(key: K) => rows.map((row) => row[key]);
  const deliveredAt = instants(column('deliveredAt'));
  await tx.$executeRaw`
    INSERT INTO "Delivery" ("id", "orderId", "deliveryBoyId", "deliveredAt", "ratePaise", "createdAt")
    SELECT d."id", d."orderId", d."deliveryBoyId", d."deliveredAt", d."ratePaise", d."deliveredAt"
    FROM unnest(${column('id')}::uuid[], ${column('orderId')}::uuid[], ${column('deliveryBoyId')}::uuid[], ${deliveredAt}::timestamptz[],
      ${column('ratePaise')}::int[]) AS d ("id", "orderId", "deliveryBoyId", "deliveredAt", "ratePaise")`;
}
