import DataLoader from 'dataloader';
import type { Database } from '../../db/client.js';
import type { Clock } from '../../shared/clock.js';
import { periodRange } from '../../shared/time.js';
import { oneByKey } from '../../shared/loader-batches.js';
import { DeliveryRepository } from './delivery.repository.js';
import type { Period } from './earnings.type.js';

interface EarningsKey {
  deliveryBoyId: string;
  period: Period;
}

export function createDeliveryLoaders(db: Database, clock: Clock) {
  const deliveries = new DeliveryRepository(db);
  return {
    deliveryBoyById: new DataLoader(async (ids: readonly string[]) => oneByKey(ids, await deliveries.findByIds(ids), (row) => row.id)),
    /** One statement for every period asked for, over all the delivery boys in the request. */
    earningsByDeliveryBoy: new DataLoader(
      async (keys: readonly EarningsKey[]) => {
        const now = clock.now();
        const periods = [...new Set(keys.map((key) => key.period))];
        const byDeliveryBoy = await deliveries.earningsInRanges(
          [...new Set(keys.map((key) => key.deliveryBoyId))],
          periods.map((period) => periodRange(period, now)),
        );
        return keys.map(
          (key) => byDeliveryBoy.get(key.deliveryBoyId)?.[periods.indexOf(key.period)] ?? { deliveryBoyId: key.deliveryBoyId, deliveries: 0, amountPaise: 0 },
        );
      },
      { cacheKeyFn: (key) => `${key.deliveryBoyId}|${key.period}` },
    ),
    payoutTotalByDeliveryBoyId: new DataLoader(async (ids: readonly string[]) => {
      const totals = await deliveries.payoutTotalsRead(ids);
      return ids.map((id) => totals.get(id) ?? 0);
    }),
    lastPayoutByDeliveryBoyId: new DataLoader(async (ids: readonly string[]) => oneByKey(ids, await deliveries.lastPayouts(ids), (row) => row.deliveryBoyId)),
  };
}
