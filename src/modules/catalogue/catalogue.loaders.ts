import DataLoader from 'dataloader';
import type { Database } from '../../db/client.js';
import type { PriceChangeStatus } from '../../generated/prisma/enums.js';
import { groupKeys, manyByKey, oneByKey } from '../../shared/loader-batches.js';
import { PriceChangeRepository } from './price-change.repository.js';
import { ProductRepository } from './product.repository.js';

interface PriceChangeRequestsKey {
  supplierId: string;
  status: PriceChangeStatus | null;
}

export function createCatalogueLoaders(db: Database) {
  const products = new ProductRepository(db);
  const requests = new PriceChangeRepository(db);
  return {
    productById: new DataLoader(async (ids: readonly string[]) => oneByKey(ids, await products.readByIds(ids), (row) => row.id)),
    productsBySupplierId: new DataLoader(async (ids: readonly string[]) => manyByKey(ids, await products.findBySupplierIds(ids), (row) => row.supplierId)),
    priceChangeRequestsBySupplier: new DataLoader(
      async (keys: readonly PriceChangeRequestsKey[]) => {
        type Rows = Awaited<ReturnType<PriceChangeRepository['findBySupplierIds']>>;
        const results = new Map<PriceChangeRequestsKey, Rows>();
        // One read per distinct status asked for in this request (at most four), all in the wave's statement.
        await Promise.all(
          [...groupKeys(keys, (key) => key.status ?? '').values()].map(async (group) => {
            const ids = group.map((key) => key.supplierId);
            const rows = await requests.findBySupplierIds(ids, group[0].status);
            manyByKey(ids, rows, (row) => row.supplierId).forEach((list, index) => results.set(group[index], list));
          }),
        );
        return keys.map((key) => results.get(key) ?? []);
      },
      { cacheKeyFn: (key) => `${key.supplierId}|${key.status ?? ''}` },
    ),
  };
}
