// The only Prisma caller for products.
import type { Database, DatabaseClient } from '../../db/client.js';
import { keysetOrderBy, keysetWhere, type SortColumn } from '../../db/keyset.js';
import type { Prisma } from '../../generated/prisma/client.js';
import type { CursorKey } from '../../shared/pagination.js';

export const PRODUCT_ORDER: SortColumn[] = [
  { field: 'createdAt', direction: 'asc', kind: 'date' },
  { field: 'id', direction: 'asc' },
];

export class ProductRepository {
  constructor(private readonly db: Database) {}

  async listPage(where: Prisma.ProductWhereInput, size: number, after: CursorKey | null) {
    const page = after ? { AND: [where, keysetWhere(PRODUCT_ORDER, after)] } : where;
    const [rows, totalCount] = await Promise.all([
      this.db.product.findMany({ where: page, orderBy: keysetOrderBy(PRODUCT_ORDER), take: size + 1 }),
      this.db.product.count({ where }),
    ]);
    return { rows, totalCount };
  }

  supplierExists(supplierId: string) {
    return this.db.supplier.count({ where: { id: supplierId } }).then((count) => count > 0);
  }

  create(data: { supplierId: string; name: string; unit: string; pricePaise: number; createdAt: Date }) {
    return this.db.product.create({ data });
  }

  findById(id: string) {
    return this.db.product.findUnique({ where: { id } });
  }

  findByIds(ids: readonly string[], db: DatabaseClient = this.db) {
    return db.product.findMany({ where: { id: { in: [...ids] } } });
  }

  findBySupplierIds(supplierIds: readonly string[]) {
    return this.db.product.findMany({
      where: { supplierId: { in: [...supplierIds] } },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    });
  }

  updatePrice(db: DatabaseClient, productId: string, pricePaise: number) {
    return db.product.update({ where: { id: productId }, data: { pricePaise } });
  }
}
