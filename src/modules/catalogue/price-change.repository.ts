// The only Prisma caller for price-change requests and their audit entries.
import type { Database, DatabaseClient } from '../../db/client.js';
import { ReadBatch } from '../../db/read-batch.js';
import { Prisma, type PriceChangeRequest } from '../../generated/prisma/client.js';
import type { PriceChangeStatus } from '../../generated/prisma/enums.js';

export const PRICE_CHANGE_DATES = ['reviewedAt', 'createdAt'] as const;

export class PriceChangeRepository {
  constructor(
    private readonly db: Database,
    private readonly reads = new ReadBatch(db),
  ) {}

  findPendingForProduct(productId: string) {
    return this.db.priceChangeRequest.findUnique({ where: { pendingProductId: productId } });
  }

  create(data: { productId: string; supplierId: string; currentPricePaise: number; requestedPricePaise: number; reason: string | null; createdAt: Date }) {
    // pendingProductId is unique: a second pending request for the product fails at the database.
    return this.db.priceChangeRequest.create({ data: { ...data, pendingProductId: data.productId } });
  }

  list(where: Prisma.PriceChangeRequestWhereInput) {
    return this.db.priceChangeRequest.findMany({ where, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], take: 500 });
  }

  /** Newest first; read with the request's other reads of its wave. */
  async findBySupplierIds(supplierIds: readonly string[], status: PriceChangeStatus | null): Promise<PriceChangeRequest[]> {
    return this.reads.rows<PriceChangeRequest>(
      Prisma.sql`
      SELECT * FROM "PriceChangeRequest"
      WHERE "supplierId" = ANY(${[...supplierIds]}::uuid[]) ${status ? Prisma.sql`AND "status" = ${status}::"PriceChangeStatus"` : Prisma.empty}
      ORDER BY "createdAt" DESC, "id" DESC`,
      PRICE_CHANGE_DATES,
    );
  }

  findById(id: string) {
    return this.db.priceChangeRequest.findUnique({ where: { id } });
  }

  /** Closes the request if it is still pending; false when someone reviewed it first. */
  async close(
    db: DatabaseClient,
    id: string,
    review: { status: 'APPROVED' | 'REJECTED'; reviewedAt: Date; reviewedById: string; reviewNote: string | null },
  ): Promise<boolean> {
    const closed = await db.priceChangeRequest.updateMany({
      where: { id, status: 'PENDING' },
      data: { ...review, pendingProductId: null },
    });
    return closed.count === 1;
  }

  /** The supplier's user: whose price a review changes. */
  async supplierUserId(db: DatabaseClient, supplierId: string): Promise<string> {
    return (await db.supplier.findUniqueOrThrow({ where: { id: supplierId }, select: { userId: true } })).userId;
  }

  findByIdIn(db: DatabaseClient, id: string) {
    return db.priceChangeRequest.findUniqueOrThrow({ where: { id } });
  }
}
