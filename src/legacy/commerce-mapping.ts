// Maps raw documents of products, subscriptions_v2, orders and delivery_statuses to typed records,
// translating the legacy vocabularies into the new enums and flagging what had to be approximated.
import type { OrderStatus, Shift, SubscriptionPattern, SubscriptionStatus } from '../generated/prisma/enums.js';
import type { RawDocument } from './export-reader.js';
import type { Identified, LegacyDeliveryStatus, LegacyOrder, LegacyOrderItem, LegacyProduct, LegacySubscription, ProblemSink } from './legacy-records.js';
import { asBoolean, asDateOnly, asInstant, asNumber, asPaise, asReference, asText, firstPresent, isPresent } from './value-coercion.js';

type Flag = (reason: string, detail?: string) => void;

function flagger(collection: string, id: string, report: ProblemSink): Flag {
  return (reason, detail) => report({ collection, id, reason, ...(detail === undefined ? {} : { detail }) });
}

function keyOf(raw: unknown): string | null {
  return (
    asText(raw)
      ?.toLowerCase()
      .replace(/[\s-]+/g, '_') ?? null
  );
}

/** A whole quantity: the schema counts units; a fractional one is rounded and flagged. */
function wholeQuantity(raw: unknown, flag: Flag): number {
  const value = asNumber(raw);
  if (value === null || value <= 0) {
    flag('INVALID_QUANTITY', String(asText(raw)));
    return 1;
  }
  if (!Number.isInteger(value)) {
    flag('FRACTIONAL_QUANTITY', String(value));
    return Math.max(1, Math.round(value));
  }
  return value;
}

export function mapProduct(document: RawDocument, identity: Identified, report: ProblemSink): LegacyProduct {
  const flag = flagger('products', identity.id, report);
  // FORMAT.md: default_price wins when both are present.
  const rawPrice = firstPresent(document, 'default_price', 'defaultPrice', 'price');
  const pricePaise = isPresent(rawPrice) ? asPaise(rawPrice) : null;
  if (pricePaise === null || pricePaise < 0) flag('INVALID_PRICE', String(asText(rawPrice)));
  return {
    id: identity.id,
    objectId: identity.objectId,
    name: asText(document.name) ?? identity.id,
    unit: asText(document.unit) ?? 'unit',
    pricePaise: pricePaise !== null && pricePaise >= 0 ? pricePaise : null,
    supplierRef: asReference(firstPresent(document, 'supplier_id', 'supplierId')),
    active: asBoolean(firstPresent(document, 'is_active', 'isActive', 'active'), true),
  };
}

const PATTERNS: Record<string, SubscriptionPattern> = {
  fixed_daily: 'DAILY',
  daily: 'DAILY',
  weekly_pattern: 'WEEKLY',
  weekly: 'WEEKLY',
  alternate_days: 'ALTERNATE_DAYS',
};
// Modes the new schema has no pattern for: kept as DAILY and flagged for a person to review.
const APPROXIMATED_MODES = new Set(['day_by_day', 'irregular', 'one_time']);
const SUBSCRIPTION_STATUSES: Record<string, SubscriptionStatus> = {
  active: 'ACTIVE',
  paused: 'PAUSED',
  stopped: 'STOPPED',
  draft: 'PAUSED',
};

export function mapSubscription(document: RawDocument, identity: Identified, report: ProblemSink): LegacySubscription {
  const flag = flagger('subscriptions_v2', identity.id, report);
  const mode = keyOf(document.mode);
  let pattern: SubscriptionPattern = 'DAILY';
  if (mode !== null && mode in PATTERNS) pattern = PATTERNS[mode];
  else if (mode !== null) flag(APPROXIMATED_MODES.has(mode) ? 'MODE_APPROXIMATED' : 'UNKNOWN_VALUE', `mode ${mode}`);
  const shiftKey = keyOf(document.shift);
  const shift: Shift = shiftKey === 'evening' ? 'EVENING' : 'MORNING';
  if (shiftKey === 'both') flag('SHIFT_APPROXIMATED', 'both → MORNING');
  else if (shiftKey !== null && shiftKey !== 'morning' && shiftKey !== 'evening') flag('UNKNOWN_VALUE', `shift ${shiftKey}`);
  const statusKey = keyOf(document.status);
  const status = statusKey !== null && statusKey in SUBSCRIPTION_STATUSES ? SUBSCRIPTION_STATUSES[statusKey] : 'ACTIVE';
  if (statusKey === 'draft') flag('STATUS_APPROXIMATED', 'draft → PAUSED');
  else if (statusKey !== null && !(statusKey in SUBSCRIPTION_STATUSES)) flag('UNKNOWN_VALUE', `status ${statusKey}`);
  const rawPattern = firstPresent(document, 'weekly_pattern', 'weeklyPattern');
  // Legacy weekdays are 0–6 from Monday; stored as ISO weekdays 1–7 (Monday = 1).
  const weekdays = Array.isArray(rawPattern)
    ? [...new Set(rawPattern.map(asNumber).filter((day): day is number => day !== null && Number.isInteger(day) && day >= 0 && day <= 6))]
        .sort((left, right) => left - right)
        .map((day) => day + 1)
    : [];
  const rawPrice = firstPresent(document, 'price_per_unit', 'pricePerUnit');
  return {
    id: identity.id,
    objectId: identity.objectId,
    customerRef: asReference(firstPresent(document, 'customer_id', 'customerId')),
    productRef: asReference(firstPresent(document, 'product_id', 'productId')),
    pricePerUnitPaise: isPresent(rawPrice) ? asPaise(rawPrice) : null,
    pattern,
    weekdays,
    quantity: wholeQuantity(firstPresent(document, 'default_qty', 'defaultQty', 'quantity') ?? 1, flag),
    shift,
    status,
    startDate: asDateOnly(firstPresent(document, 'start_date', 'startDate')),
    stopDate: asDateOnly(firstPresent(document, 'stop_date', 'stopDate')),
    deliveryBoyRef: asReference(firstPresent(document, 'delivery_boy_id', 'deliveryBoyId')),
    createdAt: asInstant(firstPresent(document, 'created_at', 'createdAt')),
  };
}

const ORDER_STATUSES: Record<string, OrderStatus> = {
  pending: 'PLACED',
  placed: 'PLACED',
  confirmed: 'PLACED',
  out_for_delivery: 'OUT_FOR_DELIVERY',
  delivered: 'DELIVERED',
  not_delivered: 'NOT_DELIVERED',
  cancelled: 'CANCELLED',
  canceled: 'CANCELLED',
};

function mapOrderItem(raw: unknown, flag: Flag): LegacyOrderItem {
  const item = (raw !== null && typeof raw === 'object' ? raw : {}) as RawDocument;
  const quantity = wholeQuantity(item.quantity ?? 1, flag);
  const unitPricePaise = asPaise(item.price);
  const lineTotal = asPaise(item.total);
  if (unitPricePaise === null && lineTotal === null) flag('INVALID_PRICE', 'order item without price or total');
  return {
    productRef: asReference(firstPresent(item, 'product_id', 'productId')),
    quantity,
    unitPricePaise: unitPricePaise ?? Math.round((lineTotal ?? 0) / quantity),
    lineTotalPaise: lineTotal ?? (unitPricePaise ?? 0) * quantity,
  };
}

export function mapOrder(document: RawDocument, identity: Identified, report: ProblemSink): LegacyOrder {
  const flag = flagger('orders', identity.id, report);
  const items = Array.isArray(document.items) ? document.items.map((item) => mapOrderItem(item, flag)) : [];
  const rawTotal = firstPresent(document, 'total_amount', 'totalAmount', 'total');
  let totalPaise = isPresent(rawTotal) ? asPaise(rawTotal) : null;
  if (totalPaise === null) {
    flag('TOTAL_FROM_ITEMS', String(asText(rawTotal)));
    totalPaise = items.reduce((sum, item) => sum + item.lineTotalPaise, 0);
  }
  const statusKey = keyOf(document.status);
  const status = statusKey !== null && statusKey in ORDER_STATUSES ? ORDER_STATUSES[statusKey] : 'PLACED';
  if (statusKey === null || !(statusKey in ORDER_STATUSES)) flag('UNKNOWN_VALUE', `status ${statusKey}`);
  return {
    id: identity.id,
    objectId: identity.objectId,
    userRef: asReference(firstPresent(document, 'user_id', 'userId')),
    subscriptionRef: asReference(firstPresent(document, 'subscription_id', 'subscriptionId')),
    items,
    totalPaise,
    deliveryDate: asDateOnly(firstPresent(document, 'delivery_date', 'deliveryDate')),
    status,
    deliveryBoyRef: asReference(firstPresent(document, 'delivery_boy_id', 'deliveryBoyId')),
    createdAt: asInstant(firstPresent(document, 'created_at', 'createdAt')),
    deliveredAt: asInstant(firstPresent(document, 'delivered_at', 'deliveredAt')),
    document,
  };
}

export function mapDeliveryStatus(document: RawDocument, identity: Identified): LegacyDeliveryStatus {
  const status = keyOf(document.status);
  return {
    id: identity.id,
    objectId: identity.objectId,
    orderRef: asReference(firstPresent(document, 'order_id', 'orderId')),
    customerRef: asReference(firstPresent(document, 'customer_id', 'customerId')),
    deliveryDate: asDateOnly(firstPresent(document, 'delivery_date', 'deliveryDate')),
    confirmsDelivery: status === 'delivered' || status === 'partially_delivered',
    deliveredAt: asInstant(firstPresent(document, 'delivered_at', 'deliveredAt')),
    deliveryBoyRef: asReference(firstPresent(document, 'delivery_boy_id', 'deliveryBoyId')),
  };
}
