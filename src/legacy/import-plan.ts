// What the importer intends to write, decided in memory before any database work: the planned rows keep
// their legacy keys, and the writer turns keys into ids through LegacyLink (so a re-run finds them).
import type { Role, UserStatus, PasswordScheme } from '../generated/prisma/enums.js';
import type { DerivedActivation } from './activation-derivation.js';
import type { RawDocument } from './export-reader.js';
import type { LegacyCollection, LegacyCustomer, LegacyDeliveryBoy, LegacySubscription, LegacySupplier, LegacyUser } from './legacy-records.js';

/** LegacyLink.collection values: a legacy collection, or `<collection>.<what was made for it>`. */
export type LinkCollection =
  | 'users'
  | 'users.customer'
  | 'users.deliveryBoy'
  | 'users.supplier'
  | 'customers_v2'
  | 'customers_v2.user'
  | 'delivery_boys'
  | 'delivery_boys.user'
  | 'suppliers'
  | 'suppliers.user'
  | 'products';

export interface LinkKey {
  collection: LinkCollection;
  legacyId: string;
}

export function linkKeyText(key: LinkKey): string {
  return `${key.collection}|${key.legacyId}`;
}

export interface PlannedUser {
  key: LinkKey;
  legacyUser: LegacyUser | null;
  name: string;
  email: string | null;
  phone: string | null;
  password: { hash: string; scheme: PasswordScheme } | null;
  roles: Set<Role>;
  status: UserStatus;
  legacyIds: string[];
  createdAt: Date | null;
}

/** A new user without a login, for a record with no legacy login: claimable later by OTP on its phone. */
export function loginlessUser(key: LinkKey, name: string, email: string | null, phone: string | null, createdAt: Date | null): PlannedUser {
  return { key, legacyUser: null, name, email, phone, password: null, roles: new Set(), status: 'ACTIVE', legacyIds: [], createdAt };
}

export interface PlannedCustomer {
  key: LinkKey;
  /** linkKeyText of its user. */
  userKey: string;
  /** customers_v2 ids that became this customer, survivor first (empty when made from a user). */
  memberIds: string[];
  /** The survivor with empty fields filled from the merged ones; null when made from a user. */
  merged: LegacyCustomer | null;
  members: LegacyCustomer[];
  fromUser: LegacyUser | null;
  /** The customer's own phone and email (unique phone: the merge key, or its user's phone). */
  phone: string | null;
  email: string | null;
  /** Whether a customers_v2 customer was linked to an existing legacy user. */
  linkedToLegacyUser: boolean;
  activation: DerivedActivation | null;
}

export interface PlannedDeliveryBoy {
  key: LinkKey;
  userKey: string;
  legacy: LegacyDeliveryBoy | null;
  linkedToUser: boolean;
}

export interface PlannedSupplier {
  key: LinkKey;
  userKey: string;
  legacy: LegacySupplier | null;
  linkedToUser: boolean;
}

export interface PlannedProduct {
  legacyId: string;
  supplierKey: string;
  name: string;
  unit: string;
  pricePaise: number;
  active: boolean;
}

export interface PlannedSubscription {
  legacy: LegacySubscription;
  customerKey: string;
  productLegacyId: string;
  /** linkKeyText of the delivery boy, or null. */
  deliveryBoyKey: string | null;
  startDate: string;
}

/**
 * A document kept aside rather than turned into rows. A set-aside order carries its document (orders are
 * read as a stream); the others are read again from the export when they are written, so that the plan,
 * which lives through the whole import, holds no documents.
 */
export interface SetAside {
  collection: LegacyCollection;
  legacyId: string;
  reason: string;
  document?: RawDocument;
}
