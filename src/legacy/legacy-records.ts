// The legacy documents after coercion: plain values, normalised identifiers, enums of the new schema.
// Each keeps `id` (its `id` field, else its ObjectId hex) and `objectId` so that references written
// either way resolve (see ReferenceIndex).
import type {
  DeliveryBoyStatus,
  OrderStatus,
  PasswordScheme,
  PaymentFrequency,
  Shift,
  SubscriptionPattern,
  SubscriptionStatus,
} from '../generated/prisma/enums.js';
import type { RawDocument } from './export-reader.js';

export const LEGACY_COLLECTIONS = [
  'users',
  'customers_v2',
  'delivery_boys',
  'suppliers',
  'products',
  'subscriptions_v2',
  'orders',
  'delivery_statuses',
] as const;
export type LegacyCollection = (typeof LEGACY_COLLECTIONS)[number];

export interface Problem {
  collection: string;
  id: string | null;
  reason: string;
  detail?: string;
  file?: string;
  line?: number;
}
export type ProblemSink = (problem: Problem) => void;

export interface Identified {
  id: string;
  objectId: string | null;
}

export interface LegacyUser extends Identified {
  name: string;
  email: string | null;
  phone: string | null;
  role: string | null;
  password: { hash: string; scheme: PasswordScheme } | null;
  customerRef: string | null;
  isActive: boolean;
  createdAt: Date | null;
}

export interface LegacyCustomer extends Identified {
  userRef: string | null;
  name: string | null;
  phone: string | null;
  email: string | null;
  address: string | null;
  area: string | null;
  billingStatus: string | null;
  trialStartDate: string | null;
  marketingUserRef: string | null;
  deliveryBoyRef: string | null;
  location: { lat: number; lng: number } | null;
  createdAt: Date | null;
}

export interface LegacyDeliveryBoy extends Identified {
  name: string;
  phone: string | null;
  email: string | null;
  area: string | null;
  userRef: string | null;
  ratePaise: number;
  paymentFrequency: PaymentFrequency;
  status: DeliveryBoyStatus;
}

export interface LegacySupplier extends Identified {
  name: string;
  email: string | null;
  phone: string | null;
  address: string | null;
  productRefs: string[];
  paymentTerms: string | null;
  commissionRateBps: number;
  userRef: string | null;
  isActive: boolean;
}

export interface LegacyProduct extends Identified {
  name: string;
  unit: string;
  pricePaise: number | null;
  supplierRef: string | null;
  active: boolean;
}

export interface LegacySubscription extends Identified {
  customerRef: string | null;
  productRef: string | null;
  pricePerUnitPaise: number | null;
  pattern: SubscriptionPattern;
  weekdays: number[];
  quantity: number;
  shift: Shift;
  status: SubscriptionStatus;
  startDate: string | null;
  stopDate: string | null;
  deliveryBoyRef: string | null;
  createdAt: Date | null;
}

export interface LegacyOrderItem {
  productRef: string | null;
  quantity: number;
  unitPricePaise: number;
  lineTotalPaise: number;
}

export interface LegacyOrder extends Identified {
  userRef: string | null;
  subscriptionRef: string | null;
  items: LegacyOrderItem[];
  totalPaise: number;
  deliveryDate: string | null;
  status: OrderStatus;
  deliveryBoyRef: string | null;
  createdAt: Date | null;
  deliveredAt: Date | null;
  document: RawDocument;
}

export interface LegacyDeliveryStatus extends Identified {
  orderRef: string | null;
  customerRef: string | null;
  deliveryDate: string | null;
  /** delivered or partially_delivered: the order counts as delivered. */
  confirmsDelivery: boolean;
  deliveredAt: Date | null;
  deliveryBoyRef: string | null;
}
