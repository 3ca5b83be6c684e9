// The only Prisma caller for suppliers and the supplier portal's reads. A page of orders for several
// suppliers is one LATERAL query: "orders having a line of this supplier", newest first.
import type { Database } from '../../db/client.js';
import type { SortColumn } from '../../db/keyset.js';
import { Prisma } from '../../generated/prisma/client.js';
import type { OrderStatus } from '../../generated/prisma/enums.js';
import type { PageRequest } from '../orders/index.js';

export const SUPPLIER_ORDER_ORDER: SortColumn[] = [
  { field: 'placedAt', direction: 'desc', kind: 'date' },
  { field: 'id', direction: 'desc' },
];

export interface SupplierOrderFilterValues {
  status: OrderStatus | null;
  customerArea: string | null;
  customerPhone: string | null;
}

export interface SupplierOrderRow {
  id: string;
  orderId: string;
  supplierId: string;
  customerId: string;
  placedAt: Date;
  status: OrderStatus;
}

function filterConditions(filter: SupplierOrderFilterValues): Prisma.Sql[] {
  const conditions: Prisma.Sql[] = [];
  if (filter.status) conditions.push(Prisma.sql`o."status" = ${filter.status}::"OrderStatus"`);
  if (filter.customerArea) conditions.push(Prisma.sql`c."area" = ${filter.customerArea}`);
  if (filter.customerPhone) conditions.push(Prisma.sql`c."phone" = ${filter.customerPhone}`);
  return conditions;
}

export class SupplierRepository {
  constructor(private readonly db: Database) {}

  findByIds(ids: readonly string[]) {
    return this.db.supplier.findMany({ where: { id: { in: [...ids] } } });
  }

  ordersPage(supplierIds: string[], request: PageRequest, filter: SupplierOrderFilterValues) {
    const conditions = [
      Prisma.sql`EXISTS (SELECT 1 FROM "OrderItem" i WHERE i."orderId" = o."id" AND i."supplierId" = parent.id)`,
      ...filterConditions(filter),
    ];
    if (request.after) {
      const [placedAt, id] = request.after;
      conditions.push(Prisma.sql`(o."placedAt", o."id") < (${new Date(String(placedAt))}::timestamptz, ${String(id)}::uuid)`);
    }
    return this.db.$queryRaw<SupplierOrderRow[]>`
      SELECT page.*, page."id" AS "orderId", parent.id::text AS "supplierId" FROM unnest(${supplierIds}::uuid[]) AS parent(id)
      CROSS JOIN LATERAL (
        SELECT o."id", o."customerId", o."placedAt", o."status"::text AS "status"
        FROM "Order" o JOIN "Customer" c ON c."id" = o."customerId"
        WHERE ${Prisma.join(conditions, ' AND ')}
        ORDER BY o."placedAt" DESC, o."id" DESC LIMIT ${request.size + 1}
      ) AS page`;
  }

  async ordersCount(supplierIds: string[], filter: SupplierOrderFilterValues): Promise<Map<string, number>> {
    const conditions = [Prisma.sql`i."supplierId" = ANY(${supplierIds}::uuid[])`, ...filterConditions(filter)];
    const rows = await this.db.$queryRaw<{ supplierId: string; orders: bigint | number }[]>`
      SELECT i."supplierId"::text AS "supplierId", count(DISTINCT o."id") AS "orders"
      FROM "OrderItem" i JOIN "Order" o ON o."id" = i."orderId" JOIN "Customer" c ON c."id" = o."customerId"
      WHERE ${Prisma.join(conditions, ' AND ')}
      GROUP BY i."supplierId"`;
    return new Map(rows.map((row) => [row.supplierId, Number(row.orders)]));
  }

  linesFor(orderIds: readonly string[], supplierIds: readonly string[]) {
    return this.db.orderItem.findMany({
      where: { orderId: { in: [...orderIds] }, supplierId: { in: [...supplierIds] } },
      orderBy: [{ orderId: 'asc' }, { id: 'asc' }],
    });
  }

  /** Sum of the supplier's lines on orders delivered in [from, to); unbounded sides when null. */
  async deliveredGross(supplierIds: readonly string[], from: Date | null, to: Date | null): Promise<Map<string, number>> {
    const deliveredAt = from || to ? { ...(from ? { gte: from } : {}), ...(to ? { lt: to } : {}) } : undefined;
    const groups = await this.db.orderItem.groupBy({
      by: ['supplierId'],
      where: { supplierId: { in: [...supplierIds] }, order: { status: 'DELIVERED', ...(deliveredAt ? { deliveredAt } : {}) } },
      _sum: { lineTotalPaise: true },
    });
    return new Map(groups.map((group) => [group.supplierId, group._sum.lineTotalPaise ?? 0]));
  }
}
