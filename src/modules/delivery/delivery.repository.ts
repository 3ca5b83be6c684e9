// The only Prisma caller for delivery boys, deliveries and payouts. Marking an order delivered changes the
// order through the orders module's repository, in the same transaction as the delivery record.
import type { Database, DatabaseClient } from '../../db/client.js';
import { ReadBatch } from '../../db/read-batch.js';
import { Prisma, type DeliveryBoy, type Payout } from '../../generated/prisma/client.js';
import type { PaymentFrequency } from '../../generated/prisma/enums.js';

interface EarningsRow {
  deliveryBoyId: string;
  deliveries: number;
  amountPaise: number;
}

type DeliveryBoyWithName = DeliveryBoy & { userName: string };

export const DELIVERY_BOY_DATES = ['createdAt', 'updatedAt'] as const;
export const PAYOUT_DATES = ['paidAt', 'createdAt'] as const;

export class DeliveryRepository {
  constructor(
    private readonly db: Database,
    private readonly reads = new ReadBatch(db),
  ) {}

  /** With the user's name, which is what most readers of a delivery boy show (one read, not two). */
  async findByIds(ids: readonly string[]): Promise<DeliveryBoyWithName[]> {
    return this.reads.rows<DeliveryBoyWithName>(
      Prisma.sql`
      SELECT d.*, u."name" AS "userName"
      FROM "DeliveryBoy" d JOIN "User" u ON u."id" = d."userId"
      WHERE d."id" = ANY(${[...ids]}::uuid[])`,
      DELIVERY_BOY_DATES,
    );
  }

  findById(id: string) {
    return this.db.deliveryBoy.findUnique({ where: { id } });
  }

  /** Deliveries and their amount per delivery boy in [from, to); unbounded sides when null. */
  async earnings(deliveryBoyIds: readonly string[], from: Date | null, to: Date | null, db: DatabaseClient = this.db): Promise<EarningsRow[]> {
    const deliveredAt = from || to ? { ...(from ? { gte: from } : {}), ...(to ? { lt: to } : {}) } : undefined;
    const groups = await db.delivery.groupBy({
      by: ['deliveryBoyId'],
      where: { deliveryBoyId: { in: [...deliveryBoyIds] }, ...(deliveredAt ? { deliveredAt } : {}) },
      _count: { _all: true },
      _sum: { ratePaise: true },
    });
    return groups.map((group) => ({ deliveryBoyId: group.deliveryBoyId!, deliveries: group._count._all, amountPaise: group._sum.ratePaise ?? 0 }));
  }

  /**
   * Deliveries and their amount per delivery boy in each of `ranges` ([from, to), unbounded sides when
   * null), all in one read: the answer's n-th entry for a delivery boy is the n-th range's.
   */
  async earningsInRanges(deliveryBoyIds: readonly string[], ranges: readonly { from: Date | null; to: Date | null }[]): Promise<Map<string, EarningsRow[]>> {
    const within = (range: { from: Date | null; to: Date | null }) =>
      Prisma.sql`${range.from ? Prisma.sql`d."deliveredAt" >= ${range.from}` : Prisma.sql`TRUE`} AND ${range.to ? Prisma.sql`d."deliveredAt" < ${range.to}` : Prisma.sql`TRUE`}`;
    const columns = Prisma.join(
      ranges.map(
        (range, index) =>
          Prisma.sql`count(*) FILTER (WHERE ${within(range)})::int AS ${Prisma.raw(`"deliveries${index}"`)}, COALESCE(sum(d."ratePaise") FILTER (WHERE ${within(range)}), 0)::bigint AS ${Prisma.raw(`"amount${index}"`)}`,
      ),
    );
    const rows = await this.reads.rows<{ deliveryBoyId: string } & Record<string, number>>(Prisma.sql`
      SELECT d."deliveryBoyId", ${columns} FROM "Delivery" d
      WHERE d."deliveryBoyId" = ANY(${[...deliveryBoyIds]}::uuid[])
      GROUP BY d."deliveryBoyId"`);
    return new Map(
      rows.map((row) => [
        row.deliveryBoyId,
        ranges.map((_range, index) => ({
          deliveryBoyId: row.deliveryBoyId,
          deliveries: Number(row[`deliveries${index}`]),
          amountPaise: Number(row[`amount${index}`]),
        })),
      ]),
    );
  }

  async payoutTotals(deliveryBoyIds: readonly string[], db: DatabaseClient = this.db): Promise<Map<string, number>> {
    const groups = await db.payout.groupBy({
      by: ['deliveryBoyId'],
      where: { deliveryBoyId: { in: [...deliveryBoyIds] } },
      _sum: { amountPaise: true },
    });
    return new Map(groups.map((group) => [group.deliveryBoyId, group._sum.amountPaise ?? 0]));
  }

  /** Each delivery boy's payouts' total, read with the request's other reads of its wave. */
  async payoutTotalsRead(deliveryBoyIds: readonly string[]): Promise<Map<string, number>> {
    const rows = await this.reads.rows<{ deliveryBoyId: string; total: number }>(Prisma.sql`
      SELECT "deliveryBoyId", sum("amountPaise")::bigint AS "total" FROM "Payout"
      WHERE "deliveryBoyId" = ANY(${[...deliveryBoyIds]}::uuid[])
      GROUP BY "deliveryBoyId"`);
    return new Map(rows.map((row) => [row.deliveryBoyId, Number(row.total)]));
  }

  async lastPayouts(deliveryBoyIds: readonly string[]): Promise<Payout[]> {
    return this.reads.rows<Payout>(
      Prisma.sql`
      SELECT DISTINCT ON ("deliveryBoyId") * FROM "Payout"
      WHERE "deliveryBoyId" = ANY(${[...deliveryBoyIds]}::uuid[])
      ORDER BY "deliveryBoyId", "paidAt" DESC, "id" DESC`,
      PAYOUT_DATES,
    );
  }

  findPayout(id: string) {
    return this.db.payout.findUnique({ where: { id } });
  }

  createDelivery(db: DatabaseClient, data: { orderId: string; deliveryBoyId: string | null; deliveredAt: Date; ratePaise: number }) {
    return db.delivery.create({ data: { ...data, createdAt: data.deliveredAt } });
  }

  findDeliveryBoyIn(db: DatabaseClient, id: string) {
    return db.deliveryBoy.findUnique({ where: { id } });
  }

  async findByUserIds(userIds: readonly string[]): Promise<DeliveryBoy[]> {
    return this.reads.rows<DeliveryBoy>(Prisma.sql`SELECT * FROM "DeliveryBoy" WHERE "userId" = ANY(${[...userIds]}::uuid[])`, DELIVERY_BOY_DATES);
  }

  /** The delivery-boy facet of a user, with the defaults of its columns. */
  createForUser(db: DatabaseClient, userId: string) {
    return db.deliveryBoy.create({ data: { userId } });
  }

  /** The delivery-boy facet, created with these details unless the user has one (which is kept as it is). */
  ensureForUser(db: DatabaseClient, userId: string, details: { ratePerDeliveryPaise: number; paymentFrequency: PaymentFrequency; area: string | null }) {
    return db.deliveryBoy.upsert({ where: { userId }, update: {}, create: { userId, ...details } });
  }

  /** A delivery-boy facet whose user still holds the DELIVERY_BOY role (what an assignment may name). */
  async isActingDeliveryBoy(deliveryBoyId: string) {
    const count = await this.db.deliveryBoy.count({ where: { id: deliveryBoyId, user: { roles: { has: 'DELIVERY_BOY' } } } });
    return count > 0;
  }

  /** When his first delivery was made; null before he has made any. */
  async firstDeliveryAt(db: DatabaseClient, deliveryBoyId: string): Promise<Date | null> {
    const first = await db.delivery.aggregate({ where: { deliveryBoyId }, _min: { deliveredAt: true } });
    return first._min.deliveredAt;
  }

  /** Takes the delivery boy's row lock, so concurrent payouts see each other's totals. */
  async lockDeliveryBoy(db: DatabaseClient, id: string) {
    await db.$queryRaw(Prisma.sql`SELECT 1 FROM "DeliveryBoy" WHERE "id" = ${id}::uuid FOR UPDATE`);
  }

  createPayout(db: DatabaseClient, data: { deliveryBoyId: string; amountPaise: number; paidAt: Date; recordedById: string; createdAt: Date }) {
    return db.payout.create({ data });
  }
}
