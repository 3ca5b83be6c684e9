// The only Prisma caller for subscriptions. Pages for several customers are one LATERAL query on the
// (customerId, createdAt, id) index, like the orders' pages.
import type { Database, DatabaseClient } from '../../db/client.js';
import type { SortColumn } from '../../db/keyset.js';
import { Prisma, type Subscription } from '../../generated/prisma/client.js';
import type { Shift, SubscriptionPattern } from '../../generated/prisma/enums.js';
import type { PageRequest } from './parent-connection.loader.js';

/** Oldest first: new subscriptions append, so cursors stay valid. */
export const SUBSCRIPTION_ORDER: SortColumn[] = [
  { field: 'createdAt', direction: 'asc', kind: 'date' },
  { field: 'id', direction: 'asc' },
];

export interface NewSubscription {
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

export class SubscriptionRepository {
  constructor(private readonly db: Database) {}

  pageForCustomers(customerIds: string[], request: PageRequest) {
    const conditions = [Prisma.sql`s."customerId" = parent.id`];
    if (request.after) {
      const [createdAt, id] = request.after;
      conditions.push(Prisma.sql`(s."createdAt", s."id") > (${new Date(String(createdAt))}::timestamptz, ${String(id)}::uuid)`);
    }
    return this.db.$queryRaw<Subscription[]>`
      SELECT page.* FROM unnest(${customerIds}::uuid[]) AS parent(id)
      CROSS JOIN LATERAL (
        SELECT s.* FROM "Subscription" s WHERE ${Prisma.join(conditions, ' AND ')}
        ORDER BY s."createdAt" ASC, s."id" ASC LIMIT ${request.size + 1}
      ) AS page`;
  }

  async countForCustomers(customerIds: string[]): Promise<Map<string, number>> {
    const groups = await this.db.subscription.groupBy({
      by: ['customerId'],
      where: { customerId: { in: customerIds } },
      _count: { _all: true },
    });
    return new Map(groups.map((group) => [group.customerId, group._count._all]));
  }

  findById(id: string) {
    return this.db.subscription.findUnique({ where: { id } });
  }

  findCustomer(customerId: string) {
    return this.db.customer.findUnique({ where: { id: customerId } });
  }

  create(data: NewSubscription, db: DatabaseClient = this.db) {
    return db.subscription.create({ data });
  }
}
