import DataLoader from 'dataloader';
import type { Database } from '../../db/client.js';
import { keyKinds, keyOf } from '../../db/keyset.js';
import type { Clock } from '../../shared/clock.js';
import { periodRange } from '../../shared/time.js';
import { groupKeys, oneByKey } from '../../shared/loader-batches.js';
import type { Period } from '../delivery/index.js';
import { createParentConnectionLoader } from '../orders/index.js';
import { SUPPLIER_ORDER_ORDER, SupplierRepository, type SupplierOrderFilterValues } from './supplier.repository.js';

interface SupplierGrossKey {
  supplierId: string;
  period: Period;
}

export function createSupplierLoaders(db: Database, clock: Clock) {
  const suppliers = new SupplierRepository(db);
  return {
    supplierById: new DataLoader(async (ids: readonly string[]) => oneByKey(ids, await suppliers.findByIds(ids), (row) => row.id)),
    supplierOrdersBySupplier: createParentConnectionLoader({
      kinds: keyKinds(SUPPLIER_ORDER_ORDER),
      pageWithCounts: (supplierIds, request, filter: SupplierOrderFilterValues) => suppliers.ordersPage(supplierIds, request, filter),
      parentOf: (row) => row.supplierId,
      keyOf: (row) => keyOf(SUPPLIER_ORDER_ORDER, row as unknown as Record<string, unknown>),
    }),
    supplierGrossBySupplier: new DataLoader(
      async (keys: readonly SupplierGrossKey[]) => {
        const now = clock.now();
        const answers = new Map<string, number>();
        await Promise.all(
          [...groupKeys(keys, (key) => key.period).entries()].map(async ([period, group]) => {
            const { from, to } = periodRange(period as Period, now);
            const gross = await suppliers.deliveredGross([...new Set(group.map((key) => key.supplierId))], from, to);
            for (const key of group) answers.set(`${key.supplierId}|${period}`, gross.get(key.supplierId) ?? 0);
          }),
        );
        return keys.map((key) => answers.get(`${key.supplierId}|${key.period}`) ?? 0);
      },
      { cacheKeyFn: (key) => `${key.supplierId}|${key.period}` },
    ),
  };
}
