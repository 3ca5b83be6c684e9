// The only Prisma caller for products.
import type { Database, DatabaseClient } from '../../db/client.js';
import { reviveDates } from '../../db/json-rows.js';
import { readTablePage, type SortColumn } from '../../db/keyset.js';
import { ReadBatch } from '../../db/read-batch.js';
import { Prisma, type Product } from '../../generated/prisma/client.js';
import type { PageRequest } from '../../shared/pagination.js';

export const PRODUCT_ORDER: SortColumn[] = [
  { field: 'createdAt', direction: 'asc', kind: 'date' },
  { field: 'id', direction: 'asc', kind: 'uuid' },
];

/** The DateTime columns of a product (test/unit/json-row-dates.test.ts holds them to schema.prisma). */
export const PRODUCT_DATES = ['createdAt', 'updatedAt'] as const;

/** A product row that came as JSON inside another statement (e.g. with the supplier portal's lines). */
export function productFromJson(row: Product): Product {
  return reviveDates(row, PRODUCT_DATES);
}

/** Which products a list holds: all of them, or those active, of one supplier, or both (either one). */
export type ProductScope = { all: true } | { all: false; active: boolean; supplierId: string | null };

function productScopeSql(scope: ProductScope): Prisma.Sql[] {
  if (scope.all) return [];
  const allowed: Prisma.Sql[] = [];
  if (scope.active) allowed.push(Prisma.sql`t."active"`);
  if (scope.supplierId) allowed.push(Prisma.sql`t."supplierId" = ${scope.supplierId}::uuid`);
  return [allowed.length > 0 ? Prisma.sql`(${Prisma.join(allowed, ' OR ')})` : Prisma.sql`FALSE`];
}

export class ProductRepository {
  constructor(
    private readonly db: Database,
    private readonly reads = new ReadBatch(db),
  ) {}

  /**
   * Up to `size + 1` rows in reading order (reverse for a backward page), and the count of the whole list,
   * in one statement.
   */
  listPage(scope: ProductScope, request: PageRequest) {
    return readTablePage(this.reads, 'Product', PRODUCT_ORDER, request, productScopeSql(scope), productFromJson);
  }

  /** The supplier's user; null when there is no such supplier. */
  async supplierUserId(supplierId: string): Promise<string | null> {
    return (await this.db.supplier.findUnique({ where: { id: supplierId }, select: { userId: true } }))?.userId ?? null;
  }

  create(data: { supplierId: string; name: string; unit: string; pricePaise: number; createdAt: Date }, db: DatabaseClient = this.db) {
    return db.product.create({ data });
  }

  findById(id: string) {
    return this.db.product.findUnique({ where: { id } });
  }

  // The loaders' reads are raw SQL: the table has no enum columns, so `SELECT *` gives exactly the rows the
  // ORM gives, at about a third of its CPU per statement (measured 0.45 vs 1.3 ms for a one-row read).
  findByIds(ids: readonly string[], db: DatabaseClient = this.db) {
    return db.$queryRaw<Product[]>`SELECT * FROM "Product" WHERE "id" = ANY(${[...ids]}::uuid[])`;
  }

  /** The loaders' read by id, with the request's other reads of its wave. */
  async readByIds(ids: readonly string[]): Promise<Product[]> {
    return this.reads.rows<Product>(Prisma.sql`SELECT * FROM "Product" WHERE "id" = ANY(${[...ids]}::uuid[])`, PRODUCT_DATES);
  }

  async findBySupplierIds(supplierIds: readonly string[]): Promise<Product[]> {
    return this.reads.rows<Product>(
      Prisma.sql`SELECT * FROM "Product" WHERE "supplierId" = ANY(${[...supplierIds]}::uuid[]) ORDER BY "createdAt" ASC, "id" ASC`,
      PRODUCT_DATES,
    );
  }

  updatePrice(db: DatabaseClient, productId: string, pricePaise: number) {
    return db.product.update({ where: { id: productId }, data: { pricePaise } });
  }
}
