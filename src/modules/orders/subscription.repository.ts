// The only Prisma caller for subscriptions. Pages for several customers are one LATERAL query on the
// (customerId, createdAt, id) index, like the orders' pages.
import type { Database, DatabaseClient } from '../../db/client.js';
import { reviveDates } from '../../db/json-rows.js';
import { pageSqlConditions, pageSqlOrder, type SortColumn } from '../../db/keyset.js';
import { ReadBatch } from '../../db/read-batch.js';
import { Prisma, type Product, type Subscription } from '../../generated/prisma/client.js';
import { productFromJson } from '../catalogue/index.js';
import type { Shift, SubscriptionPattern } from '../../generated/prisma/enums.js';
import { pageFromRows, type PageRequest, type PageWithCounts, type ParentPageRow } from './parent-connection.loader.js';

/** Oldest first: new subscriptions append, so cursors stay valid. */
export const SUBSCRIPTION_ORDER: SortColumn[] = [
  { field: 'createdAt', direction: 'asc', kind: 'date' },
  { field: 'id', direction: 'asc', kind: 'uuid' },
];

interface NewSubscription {
  customerId: string;
  productId: string;
  quantity: number;
  pattern: SubscriptionPattern;
  weekdays: number[];
  shift: Shift;
  startDate: Date;
  deliveryBoyId: string | null;
  createdAt: Date;
}

export const SUBSCRIPTION_DATES = ['startDate', 'stopDate', 'createdAt', 'updatedAt'] as const;

export class SubscriptionRepository {
  constructor(
    private readonly db: Database,
    private readonly reads = new ReadBatch(db),
  ) {}

  /**
   * One read for a page of each customer's subscriptions, each customer's count, and their products
   * (each row carries its product, so that field resolves without a loader).
   */
  async pageForCustomers(customerIds: string[], request: PageRequest): Promise<PageWithCounts<Subscription & { product?: Product }>> {
    const conditions = [Prisma.sql`s."customerId" = parent.id`, ...pageSqlConditions('s', SUBSCRIPTION_ORDER, request)];
    const rows = await this.reads.rows<ParentPageRow<Subscription & { product: Product | null }>>(Prisma.sql`
      SELECT parent.id::text AS "parentId", total.n AS "total", page.*, to_jsonb(p) AS "product"
      FROM unnest(${customerIds}::uuid[]) AS parent(id)
      CROSS JOIN LATERAL (SELECT count(*)::int AS n FROM "Subscription" s WHERE s."customerId" = parent.id) AS total
      LEFT JOIN LATERAL (
        SELECT s.* FROM "Subscription" s WHERE ${Prisma.join(conditions, ' AND ')}
        ORDER BY ${pageSqlOrder('s', SUBSCRIPTION_ORDER, request.backward)} LIMIT ${request.size + 1}
      ) AS page ON true
      LEFT JOIN "Product" p ON p."id" = page."productId"`);
    return pageFromRows(rows, ({ product, ...row }) => {
      const subscription = reviveDates(row, SUBSCRIPTION_DATES);
      return product ? { ...subscription, product: productFromJson(product) } : subscription;
    });
  }

  findById(id: string) {
    return this.db.subscription.findUnique({ where: { id } });
  }

  /** A customer's running subscriptions move to the delivery boy (in the caller's transaction). */
  async moveRunningTo(db: DatabaseClient, customerId: string, deliveryBoyId: string): Promise<void> {
    await db.subscription.updateMany({ where: { customerId, status: { in: ['ACTIVE', 'PAUSED'] } }, data: { deliveryBoyId } });
  }

  create(data: NewSubscription, db: DatabaseClient = this.db) {
    return db.subscription.create({ data });
  }
}
