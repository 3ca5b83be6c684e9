import DataLoader from 'dataloader';
import type { Database } from '../../db/client.js';
import type { Clock } from '../../shared/clock.js';
import type { AttemptCounters } from './attempt-counters.js';
import { accountKey } from './identity.keys.js';
import { IdentityRepository, type UserWithFacets } from './identity.repository.js';
import type { SessionRead } from './session.service.js';

function byKey<K, V>(keys: readonly K[], rows: V[], keyOf: (row: V) => K): (V | null)[] {
  const map = new Map(rows.map((row) => [keyOf(row), row]));
  return keys.map((key) => map.get(key) ?? null);
}

export function createIdentityLoaders(db: Database, counters: AttemptCounters, clock: Clock) {
  const identity = new IdentityRepository(db);
  const customerByUserId = new DataLoader(async (ids: readonly string[]) => byKey(ids, await identity.customersOfUsers(ids), (row) => row.userId));
  const deliveryBoyByUserId = new DataLoader(async (ids: readonly string[]) => byKey(ids, await identity.deliveryBoysOfUsers(ids), (row) => row.userId));
  const supplierByUserId = new DataLoader(async (ids: readonly string[]) => byKey(ids, await identity.suppliersOfUsers(ids), (row) => row.userId));
  const primeFacets = ({ customer, deliveryBoy, supplier, ...user }: UserWithFacets) => {
    customerByUserId.prime(user.id, customer);
    deliveryBoyByUserId.prime(user.id, deliveryBoy);
    supplierByUserId.prime(user.id, supplier);
    return user;
  };
  // A user arrives with its facets, which answer the facet loaders (`me { customer deliveryBoy supplier }`
  // is then one statement, not four). A facet the user lacks is primed as null: it is known not to exist.
  const userById = new DataLoader(async (ids: readonly string[]) => {
    const users = (await identity.usersWithFacets(ids)).map((row) => primeFacets(row));
    return byKey(ids, users, (row) => row.id);
  });
  /** Whether a password lockout is in force for the user (reported as status LOCKED). */
  const lockedUntilByUserId = new DataLoader(async (ids: readonly string[]) => {
    const locks = await counters.lockedUntilMany(ids.map(accountKey), clock.now());
    return ids.map((id) => locks.get(accountKey(id)) ?? null);
  });
  return {
    userById,
    customerByUserId,
    deliveryBoyByUserId,
    supplierByUserId,
    /**
     * The session check brought the viewer's user and facets, and the account's lock when the counters
     * are in the database: later reads of them need no statement.
     */
    primeSession: ({ user: row, lockedUntil }: SessionRead) => {
      const user = primeFacets(row);
      userById.prime(user.id, user);
      if (lockedUntil !== undefined) lockedUntilByUserId.prime(user.id, lockedUntil);
    },
    lockedUntilByUserId,
  };
}

export type IdentityLoaders = ReturnType<typeof createIdentityLoaders>;
