// Maps raw documents of the people collections (users, customers_v2, delivery_boys, suppliers) to typed
// records. Values that cannot be used are reported through the sink, never silently dropped.
import { normaliseEmail, normalisePhone } from '../shared/identifiers.js';
import type { RawDocument } from './export-reader.js';
import type { Identified, LegacyCustomer, LegacyDeliveryBoy, LegacySupplier, LegacyUser, ProblemSink } from './legacy-records.js';
import { classifyPasswordHash } from './password-hashes.js';
import { asBoolean, asDateOnly, asInstant, asNumber, asPaise, asReference, asText, asTextList, firstPresent, isPresent } from './value-coercion.js';

const DEFAULT_RATE_PAISE = 3000;
const DEFAULT_COMMISSION_BPS = 1000;

/** The document's own id (`id`, else its `_id`), or null when it has neither. */
export function identify(document: RawDocument): Identified | null {
  const objectId = asText(document._id);
  const id = asText(document.id) ?? objectId;
  return id === null ? null : { id, objectId };
}

interface ContactContext {
  collection: string;
  id: string;
  report: ProblemSink;
}

function readPhone(raw: unknown, context: ContactContext): string | null {
  if (!isPresent(raw)) return null;
  const text = asText(raw) ?? '';
  const result = normalisePhone(text);
  if (result.ok) return result.value;
  context.report({ collection: context.collection, id: context.id, reason: 'INVALID_PHONE', detail: text });
  return null;
}

function readEmail(raw: unknown, context: ContactContext): string | null {
  if (!isPresent(raw)) return null;
  const text = asText(raw) ?? '';
  const result = normaliseEmail(text);
  if (result.ok) return result.value;
  context.report({ collection: context.collection, id: context.id, reason: 'INVALID_EMAIL', detail: text });
  return null;
}

export function mapUser(document: RawDocument, identity: Identified, report: ProblemSink): LegacyUser {
  const context = { collection: 'users', id: identity.id, report };
  const rawPassword = asText(firstPresent(document, 'password_hash', 'passwordHash', 'password'));
  const password = classifyPasswordHash(rawPassword);
  if (password.kind === 'unrecognised') {
    report({ collection: 'users', id: identity.id, reason: 'UNRECOGNISED_PASSWORD_HASH' });
  } else if (password.kind === 'hash' && password.scheme === 'SHA256') {
    report({ collection: 'users', id: identity.id, reason: 'PASSWORD_UPGRADE_ON_LOGIN', detail: 'unsalted SHA-256' });
  }
  return {
    id: identity.id,
    objectId: identity.objectId,
    name: asText(document.name) ?? '',
    email: readEmail(document.email, context),
    phone: readPhone(document.phone, context),
    role: asText(document.role)?.toLowerCase() ?? null,
    password: password.kind === 'hash' ? { hash: password.hash, scheme: password.scheme } : null,
    customerRef: asReference(firstPresent(document, 'customer_v2_id', 'customerV2Id')),
    isActive: asBoolean(firstPresent(document, 'is_active', 'isActive'), true),
    createdAt: asInstant(firstPresent(document, 'created_at', 'createdAt')),
  };
}

function readLocation(value: unknown): { lat: number; lng: number } | null {
  if (value === null || typeof value !== 'object') return null;
  const lat = asNumber((value as RawDocument).lat);
  const lng = asNumber((value as RawDocument).lng);
  return lat === null || lng === null ? null : { lat, lng };
}

export function mapCustomer(document: RawDocument, identity: Identified, report: ProblemSink): LegacyCustomer {
  const context = { collection: 'customers_v2', id: identity.id, report };
  return {
    id: identity.id,
    objectId: identity.objectId,
    userRef: asReference(firstPresent(document, 'user_id', 'userId')),
    name: asText(document.name),
    phone: readPhone(document.phone, context),
    email: readEmail(document.email, context),
    address: asText(document.address),
    area: asText(document.area),
    billingStatus: asText(document.status)?.toLowerCase() ?? null,
    trialStartDate: asDateOnly(firstPresent(document, 'trial_start_date', 'trialStartDate')),
    marketingUserRef: asReference(firstPresent(document, 'marketing_boy_id', 'marketingBoyId')),
    deliveryBoyRef: asReference(firstPresent(document, 'delivery_boy_id', 'deliveryBoyId')),
    location: readLocation(document.location),
    createdAt: asInstant(firstPresent(document, 'created_at', 'createdAt')),
  };
}

const PAYMENT_FREQUENCIES = { weekly: 'WEEKLY', biweekly: 'BIWEEKLY', monthly: 'MONTHLY' } as const;
const BOY_STATUSES = { active: 'ACTIVE', inactive: 'INACTIVE', on_leave: 'ON_LEAVE' } as const;

function pick<T extends string>(table: Record<string, T>, raw: unknown, fallback: T, flag: () => void): T {
  const key = asText(raw)
    ?.toLowerCase()
    .replace(/[\s-]+/g, '_');
  if (key === undefined) return fallback;
  if (key in table) return table[key];
  flag();
  return fallback;
}

export function mapDeliveryBoy(document: RawDocument, identity: Identified, report: ProblemSink): LegacyDeliveryBoy {
  const context = { collection: 'delivery_boys', id: identity.id, report };
  const flag = (field: string) => () => report({ collection: 'delivery_boys', id: identity.id, reason: 'UNKNOWN_VALUE', detail: field });
  const rawRate = firstPresent(document, 'rate_per_delivery', 'ratePerDelivery');
  const ratePaise = isPresent(rawRate) ? asPaise(rawRate) : DEFAULT_RATE_PAISE;
  if (ratePaise === null) flag('rate_per_delivery')();
  return {
    id: identity.id,
    objectId: identity.objectId,
    name: asText(document.name) ?? '',
    phone: readPhone(document.phone, context),
    email: readEmail(document.email, context),
    area: asText(firstPresent(document, 'area_assigned', 'areaAssigned')),
    userRef: asReference(firstPresent(document, 'user_id', 'userId')),
    ratePaise: ratePaise ?? DEFAULT_RATE_PAISE,
    paymentFrequency: pick(PAYMENT_FREQUENCIES, firstPresent(document, 'payment_frequency', 'paymentFrequency'), 'WEEKLY', flag('payment_frequency')),
    status: pick(BOY_STATUSES, document.status, 'ACTIVE', flag('status')),
  };
}

export function mapSupplier(document: RawDocument, identity: Identified, report: ProblemSink): LegacySupplier {
  const context = { collection: 'suppliers', id: identity.id, report };
  const percent = asNumber(firstPresent(document, 'commission_rate', 'commissionRate'));
  return {
    id: identity.id,
    objectId: identity.objectId,
    name: asText(firstPresent(document, 'name', 'business_name')) ?? '',
    email: readEmail(document.email, context),
    phone: readPhone(document.phone, context),
    address: asText(document.address),
    productRefs: asTextList(firstPresent(document, 'products_supplied', 'productsSupplied')),
    paymentTerms: asText(firstPresent(document, 'payment_terms', 'paymentTerms')),
    // Percent to basis points: 10 (%) is 1000.
    commissionRateBps: percent === null ? DEFAULT_COMMISSION_BPS : Math.round(percent * 100),
    userRef: asReference(firstPresent(document, 'user_id', 'userId')),
    isActive: asBoolean(firstPresent(document, 'is_active', 'isActive'), true),
  };
}
