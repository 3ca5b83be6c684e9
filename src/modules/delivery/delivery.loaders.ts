import DataLoader from 'dataloader';
import type { Database } from '../../db/client.js';
import type { Clock } from '../../shared/clock.js';
import { periodRange } from '../../shared/time.js';
import { groupKeys, oneByKey } from '../catalogue/index.js';
import { DeliveryRepository, type EarningsRow } from './delivery.repository.js';
import type { Period } from './earnings.type.js';

export interface EarningsKey {
  deliveryBoyId: string;
  period: Period;
}

export function createDeliveryLoaders(db: Database, clock: Clock) {
  const deliveries = new DeliveryRepository(db);
  return {
    deliveryBoyById: new DataLoader(async (ids: readonly string[]) => oneByKey(ids, await deliveries.findByIds(ids), (row) => row.id)),
    /** One aggregate per distinct period asked for, over all the delivery boys in the request. */
    earningsByDeliveryBoy: new DataLoader(
      async (keys: readonly EarningsKey[]) => {
        const now = clock.now();
        const answers = new Map<string, EarningsRow>();
        await Promise.all(
          [...groupKeys(keys, (key) => key.period).entries()].map(async ([period, group]) => {
            const { from, to } = periodRange(period as Period, now);
            for (const row of await deliveries.earnings([...new Set(group.map((key) => key.deliveryBoyId))], from, to)) {
              answers.set(`${row.deliveryBoyId}|${period}`, row);
            }
          }),
        );
        return keys.map((key) => answers.get(`${key.deliveryBoyId}|${key.period}`) ?? { deliveryBoyId: key.deliveryBoyId, deliveries: 0, amountPaise: 0 });
      },
      { cacheKeyFn: (key) => `${key.deliveryBoyId}|${key.period}` },
    ),
    payoutTotalByDeliveryBoyId: new DataLoader(async (ids: readonly string[]) => {
      const totals = await deliveries.payoutTotals(ids);
      return ids.map((id) => totals.get(id) ?? 0);
    }),
    lastPayoutByDeliveryBoyId: new DataLoader(async (ids: readonly string[]) =>
      oneByKey(ids, await deliveries.lastPayouts(ids), (row) => row.deliveryBoyId),
    ),
  };
}

export type DeliveryLoaders = ReturnType<typeof createDeliveryLoaders>;
