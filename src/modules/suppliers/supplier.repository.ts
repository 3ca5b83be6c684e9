// The only Prisma caller for suppliers and the supplier portal's reads. A page of orders for several
// suppliers is one LATERAL query: "orders having a line of this supplier", newest first, each row with the
// customer's name and area and the supplier's own lines with their products, so a 100-order page is one
// statement (loading lines, customers and products after the page cost three more statements and most
// of the request's CPU).
import type { Database, DatabaseClient } from '../../db/client.js';
import { reviveDates } from '../../db/json-rows.js';
import { pageSqlConditions, pageSqlOrder, type SortColumn } from '../../db/keyset.js';
import { ReadBatch } from '../../db/read-batch.js';
import { Prisma, type Product, type Supplier } from '../../generated/prisma/client.js';
import { productFromJson } from '../catalogue/index.js';
import type { OrderStatus } from '../../generated/prisma/enums.js';
import { pageFromRows, type PageRequest, type PageWithCounts, type ParentPageRow } from '../orders/index.js';

export const SUPPLIER_ORDER_ORDER: SortColumn[] = [
  { field: 'placedAt', direction: 'desc', kind: 'date' },
  { field: 'id', direction: 'desc', kind: 'uuid' },
];

export interface SupplierOrderFilterValues {
  status: OrderStatus | null;
  customerArea: string | null;
  customerPhone: string | null;
}

/** One of the supplier's lines of an order, as the page query returns it. */
export interface SupplierLineRow {
  productId: string;
  product: Product;
  quantity: number;
  unitPricePaise: number;
  lineTotalPaise: number;
}

export interface SupplierOrderRow {
  id: string;
  orderId: string;
  supplierId: string;
  customerId: string;
  placedAt: Date;
  status: OrderStatus;
  /** Of the customer only the name and area: never the phone or address (SPEC §3). */
  customerName: string;
  customerArea: string | null;
  lines: SupplierLineRow[];
}

type SupplierOrdersPage = PageWithCounts<SupplierOrderRow>;

function filterConditions(filter: SupplierOrderFilterValues): Prisma.Sql[] {
  const conditions: Prisma.Sql[] = [];
  if (filter.status) conditions.push(Prisma.sql`o."status" = ${filter.status}::"OrderStatus"`);
  if (filter.customerArea) conditions.push(Prisma.sql`c."area" = ${filter.customerArea}`);
  if (filter.customerPhone) conditions.push(Prisma.sql`c."phone" = ${filter.customerPhone}`);
  return conditions;
}

export const SUPPLIER_DATES = ['createdAt', 'updatedAt'] as const;

export class SupplierRepository {
  constructor(
    private readonly db: Database,
    private readonly reads = new ReadBatch(db),
  ) {}

  async findByUserIds(userIds: readonly string[]): Promise<Supplier[]> {
    return this.reads.rows<Supplier>(Prisma.sql`SELECT * FROM "Supplier" WHERE "userId" = ANY(${[...userIds]}::uuid[])`, SUPPLIER_DATES);
  }

  /** The supplier facet of a user. */
  createForUser(db: DatabaseClient, userId: string, businessName: string) {
    return db.supplier.create({ data: { userId, businessName } });
  }

  /** The supplier facet, created with these details unless the user has one (which is kept as it is). */
  ensureForUser(db: DatabaseClient, userId: string, details: { businessName: string; commissionRateBps: number }) {
    return db.supplier.upsert({ where: { userId }, update: {}, create: { userId, ...details } });
  }

  /** Read with the request's other reads of its wave. */
  async findByIds(ids: readonly string[]): Promise<Supplier[]> {
    return this.reads.rows<Supplier>(Prisma.sql`SELECT * FROM "Supplier" WHERE "id" = ANY(${[...ids]}::uuid[])`, SUPPLIER_DATES);
  }

  /** A page of each supplier's orders and each supplier's order count (same filter), in one read. */
  async ordersPage(supplierIds: string[], request: PageRequest, filter: SupplierOrderFilterValues): Promise<SupplierOrdersPage> {
    const scope = [Prisma.sql`EXISTS (SELECT 1 FROM "OrderItem" i WHERE i."orderId" = o."id" AND i."supplierId" = parent.id)`, ...filterConditions(filter)];
    const conditions = [...scope, ...pageSqlConditions('o', SUPPLIER_ORDER_ORDER, request)];
    // The lines are aggregated outside the page, so only the rows of the page pay for them.
    const rows = await this.reads.rows<ParentPageRow<SupplierOrderRow>>(Prisma.sql`
      SELECT parent.id::text AS "parentId", total.n AS "total",
             page.*, page."id" AS "orderId", parent.id::text AS "supplierId", lines.lines
      FROM unnest(${supplierIds}::uuid[]) AS parent(id)
      CROSS JOIN LATERAL (
        SELECT count(*)::int AS n FROM "Order" o JOIN "Customer" c ON c."id" = o."customerId" WHERE ${Prisma.join(scope, ' AND ')}
      ) AS total
      LEFT JOIN LATERAL (
        SELECT o."id", o."customerId", o."placedAt", o."status"::text AS "status",
               c."name" AS "customerName", c."area" AS "customerArea"
        FROM "Order" o JOIN "Customer" c ON c."id" = o."customerId"
        WHERE ${Prisma.join(conditions, ' AND ')}
        ORDER BY ${pageSqlOrder('o', SUPPLIER_ORDER_ORDER, request.backward)} LIMIT ${request.size + 1}
      ) AS page ON true
      LEFT JOIN LATERAL (
        SELECT coalesce(json_agg(json_build_object('productId', i."productId", 'quantity', i."quantity",
                 'unitPricePaise', i."unitPricePaise", 'lineTotalPaise', i."lineTotalPaise", 'product', to_jsonb(p)) ORDER BY i."id"), '[]'::json) AS lines
        FROM "OrderItem" i JOIN "Product" p ON p."id" = i."productId"
        WHERE i."orderId" = page."id" AND i."supplierId" = parent.id
      ) AS lines ON true`);
    return pageFromRows(rows, (order) => {
      for (const line of order.lines) productFromJson(line.product);
      return reviveDates(order, ['placedAt']);
    });
  }

  /** Sum of the supplier's lines on orders delivered in [from, to); unbounded sides when null. */
  async deliveredGross(supplierIds: readonly string[], from: Date | null, to: Date | null): Promise<Map<string, number>> {
    const conditions = [Prisma.sql`i."supplierId" = ANY(${[...supplierIds]}::uuid[])`, Prisma.sql`o."status" = 'DELIVERED'`];
    if (from) conditions.push(Prisma.sql`o."deliveredAt" >= ${from}`);
    if (to) conditions.push(Prisma.sql`o."deliveredAt" < ${to}`);
    const rows = await this.reads.rows<{ supplierId: string; gross: number | null }>(Prisma.sql`
      SELECT i."supplierId"::text AS "supplierId", sum(i."lineTotalPaise") AS "gross"
      FROM "OrderItem" i JOIN "Order" o ON o."id" = i."orderId"
      WHERE ${Prisma.join(conditions, ' AND ')}
      GROUP BY i."supplierId"`);
    return new Map(rows.map((row) => [row.supplierId, Number(row.gross ?? 0)]));
  }
}
