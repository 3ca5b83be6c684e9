// The only Prisma caller for orders and their items. Pages of several customers' orders are one LATERAL
// query (Prisma cannot limit rows per parent), each an index seek on (customerId, placedAt, id).
import type { Database, DatabaseClient } from '../../db/client.js';
import { reviveDates } from '../../db/json-rows.js';
import { pageSqlConditions, pageSqlOrder, type SortColumn } from '../../db/keyset.js';
import { ReadBatch } from '../../db/read-batch.js';
import { Prisma } from '../../generated/prisma/client.js';
import type { OrderStatus } from '../../generated/prisma/enums.js';
import type { Customer, Order, OrderItem, Product } from '../../generated/prisma/client.js';
import { productFromJson } from '../catalogue/index.js';
import { customerFromJson } from '../customers/index.js';
import { pageFromRows, type PageRequest, type PageWithCounts, type ParentPageRow } from './parent-connection.loader.js';

/** Newest first: a new order goes to the front, so cursors of later pages stay valid. */
export const ORDER_ORDER: SortColumn[] = [
  { field: 'placedAt', direction: 'desc', kind: 'date' },
  { field: 'id', direction: 'desc', kind: 'uuid' },
];

interface NewOrder {
  customerId: string;
  deliveryBoyId: string | null;
  subscriptionId: string | null;
  deliveryDate: Date;
  placedAt: Date;
  totalPaise: number;
  items: { productId: string; supplierId: string; quantity: number; unitPricePaise: number; lineTotalPaise: number }[];
}

/** An order with its items, each with its product (as a page brings them). */
type OrderWithItems = Order & { items: (OrderItem & { product: Product })[] };

/** An order of a delivery boy's route: with its items and its customer. */
export type RouteOrder = OrderWithItems & { customer: Customer };

export const ORDER_DATES = ['placedAt', 'deliveryDate', 'deliveredAt', 'createdAt', 'updatedAt'] as const;

/** The items of the order row `alias`, each with its product, as one JSON array (`items`, null when none). */
function itemsOf(alias: string): Prisma.Sql {
  return Prisma.sql`
    SELECT json_agg(json_build_object('id', i."id", 'orderId', i."orderId", 'productId', i."productId", 'supplierId', i."supplierId",
             'quantity', i."quantity", 'unitPricePaise', i."unitPricePaise", 'lineTotalPaise', i."lineTotalPaise", 'product', to_jsonb(p))
             ORDER BY i."id") AS items
    FROM "OrderItem" i JOIN "Product" p ON p."id" = i."productId" WHERE i."orderId" = ${Prisma.raw(`"${alias}"`)}."id"`;
}

/**
 * An order row read as JSON with its items: the Date values and the item list the ORM would give. The row is
 * the statement's own (parsed for this call), so it is completed in place rather than copied.
 */
function withItems<T extends Order & { items: OrderWithItems['items'] | null }>(row: T): T & OrderWithItems {
  const items = row.items ?? [];
  for (const item of items) productFromJson(item.product);
  reviveDates(row, ORDER_DATES);
  row.items = items;
  return row as T & OrderWithItems;
}

export class OrderRepository {
  constructor(
    private readonly db: Database,
    private readonly reads = new ReadBatch(db),
  ) {}

  /**
   * One read for a page of each customer's orders, each customer's order count, and the items of the
   * page's orders with their products (JSON, dates revived): `Me` used to spend four statements on this.
   * Each row carries its items, each item its product, so those fields resolve without a loader.
   */
  async pageForCustomers(customerIds: string[], request: PageRequest, status: OrderStatus | null): Promise<PageWithCounts<OrderWithItems>> {
    const scope = [Prisma.sql`o."customerId" = parent.id`];
    if (status) scope.push(Prisma.sql`o."status" = ${status}::"OrderStatus"`);
    const conditions = [...scope, ...pageSqlConditions('o', ORDER_ORDER, request)];
    const rows = await this.reads.rows<ParentPageRow<Order & { items: OrderWithItems['items'] | null }>>(Prisma.sql`
      SELECT parent.id::text AS "parentId", total.n AS "total", page.*, items.items
      FROM unnest(${customerIds}::uuid[]) AS parent(id)
      CROSS JOIN LATERAL (SELECT count(*)::int AS n FROM "Order" o WHERE ${Prisma.join(scope, ' AND ')}) AS total
      LEFT JOIN LATERAL (
        SELECT o.* FROM "Order" o WHERE ${Prisma.join(conditions, ' AND ')}
        ORDER BY ${pageSqlOrder('o', ORDER_ORDER, request.backward)} LIMIT ${request.size + 1}
      ) AS page ON true
      LEFT JOIN LATERAL (${itemsOf('page')}) AS items ON true`);
    return pageFromRows(rows, (row) => withItems(row));
  }

  itemsForOrders(orderIds: readonly string[]) {
    return this.db.orderItem.findMany({ where: { orderId: { in: [...orderIds] } }, orderBy: [{ orderId: 'asc' }, { id: 'asc' }] });
  }

  findByIds(ids: readonly string[]) {
    return this.db.order.findMany({ where: { id: { in: [...ids] } } });
  }

  findById(id: string) {
    return this.db.order.findUnique({ where: { id } });
  }

  /**
   * A delivery boy's orders for one IST day (cancelled ones are off his route), each with its items and
   * their products and its customer, in one read: his route's `customer` fields resolve from the row.
   */
  async forDeliveryBoysOn(deliveryBoyIds: readonly string[], deliveryDate: Date): Promise<RouteOrder[]> {
    const rows = await this.reads.rows<Order & { items: OrderWithItems['items'] | null; customer: Customer }>(Prisma.sql`
      SELECT o.*, items.items, to_jsonb(c) AS "customer" FROM "Order" o
      JOIN "Customer" c ON c."id" = o."customerId"
      LEFT JOIN LATERAL (${itemsOf('o')}) AS items ON true
      WHERE o."deliveryBoyId" = ANY(${[...deliveryBoyIds]}::uuid[]) AND o."deliveryDate" = ${deliveryDate.toISOString().slice(0, 10)}::date AND o."status" <> 'CANCELLED'
      ORDER BY o."placedAt", o."id"`);
    return rows.map((row) => {
      customerFromJson(row.customer);
      return withItems(row);
    });
  }

  findSubscription(id: string) {
    return this.db.subscription.findUnique({ where: { id } });
  }

  create(db: DatabaseClient, order: NewOrder) {
    const { items, ...fields } = order;
    return db.order.create({ data: { ...fields, createdAt: order.placedAt, items: { create: items } } });
  }

  reassign(orderId: string, deliveryBoyId: string) {
    return this.db.order.update({ where: { id: orderId }, data: { deliveryBoyId } });
  }

  /** The order as it is inside the caller's transaction (a delivery being recorded). */
  findByIdIn(db: DatabaseClient, id: string) {
    return db.order.findUniqueOrThrow({ where: { id } });
  }

  /** Moves a deliverable order to DELIVERED in the caller's transaction; false when another request got there first. */
  async markDelivered(db: DatabaseClient, orderId: string, deliveredAt: Date): Promise<boolean> {
    const claimed = await db.order.updateMany({
      where: { id: orderId, status: { in: ['PLACED', 'OUT_FOR_DELIVERY', 'NOT_DELIVERED'] } },
      data: { status: 'DELIVERED', deliveredAt },
    });
    return claimed.count === 1;
  }
}
