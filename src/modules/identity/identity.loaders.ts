import DataLoader from 'dataloader';
import type { Database } from '../../db/client.js';
import type { Clock } from '../../shared/clock.js';
import type { AttemptCounters } from './attempt-counters.js';
import { accountKey } from './identity.keys.js';

function byKey<K, V>(keys: readonly K[], rows: V[], keyOf: (row: V) => K): (V | null)[] {
  const map = new Map(rows.map((row) => [keyOf(row), row]));
  return keys.map((key) => map.get(key) ?? null);
}

export function createIdentityLoaders(db: Database, counters: AttemptCounters, clock: Clock) {
  return {
    userById: new DataLoader(async (ids: readonly string[]) =>
      byKey(ids, await db.user.findMany({ where: { id: { in: [...ids] } } }), (row) => row.id),
    ),
    customerByUserId: new DataLoader(async (ids: readonly string[]) =>
      byKey(ids, await db.customer.findMany({ where: { userId: { in: [...ids] } } }), (row) => row.userId),
    ),
    deliveryBoyByUserId: new DataLoader(async (ids: readonly string[]) =>
      byKey(ids, await db.deliveryBoy.findMany({ where: { userId: { in: [...ids] } } }), (row) => row.userId),
    ),
    supplierByUserId: new DataLoader(async (ids: readonly string[]) =>
      byKey(ids, await db.supplier.findMany({ where: { userId: { in: [...ids] } } }), (row) => row.userId),
    ),
    /** Whether a password lockout is in force for the user (reported as status LOCKED). */
    lockedUntilByUserId: new DataLoader(async (ids: readonly string[]) => {
      const locks = await counters.lockedUntilMany(ids.map(accountKey), clock.now());
      return ids.map((id) => locks.get(accountKey(id)) ?? null);
    }),
  };
}

export type IdentityLoaders = ReturnType<typeof createIdentityLoaders>;
