// One legacy order → the order to write, or the reason it is quarantined. FORMAT.md: an order is
// delivered when its status is `delivered`, or when it is not cancelled and a delivery status confirms
// it (matched by order_id); its delivery time is delivered_at (the order's, else the confirmation's),
// else its delivery date at 00:00 IST; its delivery boy is the order's, else the confirmation's.
import type { OrderStatus } from '../generated/prisma/enums.js';
import { istDateString, startOfIstDay } from '../shared/time.js';
import type { OrderFact } from './activation-derivation.js';
import type { RawDocument } from './export-reader.js';
import type { LegacyDeliveryStatus, LegacyOrder, LegacyUser, ProblemSink } from './legacy-records.js';
import type { ReferenceIndex } from './reference-index.js';

interface PlannedOrderItem {
  productLegacyId: string;
  quantity: number;
  unitPricePaise: number;
  lineTotalPaise: number;
}

export interface PlannedOrder {
  legacyId: string;
  ownerUserId: string;
  status: OrderStatus;
  totalPaise: number;
  placedAt: Date;
  deliveryDate: string;
  deliveredAt: Date | null;
  deliveryBoyLegacyId: string | null;
  subscriptionLegacyId: string | null;
  items: PlannedOrderItem[];
}

type OrderOutcome = { kind: 'order'; order: PlannedOrder } | { kind: 'quarantine'; legacyId: string; reason: string; detail: string; document: RawDocument };

export interface OrderContext {
  users: ReferenceIndex<LegacyUser>;
  /** Users that are not imported (quarantined): their orders cannot be placed. */
  unimportedUserIds: ReadonlySet<string>;
  /** Resolves a product reference to the id of an imported product. */
  productId(reference: string | null): string | undefined;
  deliveryBoyId(reference: string | null): string | undefined;
  subscriptionId(reference: string | null): string | undefined;
  /** Confirming delivery statuses by the order id (or ObjectId hex) they name. */
  confirmations: ReadonlyMap<string, LegacyDeliveryStatus>;
}

export function planOrder(order: LegacyOrder, context: OrderContext, report: ProblemSink): OrderOutcome {
  const quarantine = (reason: string, detail: string): OrderOutcome => ({ kind: 'quarantine', legacyId: order.id, reason, detail, document: order.document });
  const owner = context.users.get(order.userRef);
  if (owner === undefined) return quarantine('OWNER_NOT_FOUND', `user ${order.userRef ?? '(none)'} does not exist`);
  if (context.unimportedUserIds.has(owner.id)) return quarantine('OWNER_NOT_FOUND', `user ${owner.id} is quarantined`);
  const items = [];
  for (const item of order.items) {
    const productLegacyId = context.productId(item.productRef);
    if (productLegacyId === undefined) return quarantine('UNKNOWN_PRODUCT', `product ${item.productRef ?? '(none)'}`);
    items.push({ productLegacyId, quantity: item.quantity, unitPricePaise: item.unitPricePaise, lineTotalPaise: item.lineTotalPaise });
  }
  const placedAt = order.createdAt ?? (order.deliveryDate ? startOfIstDay(order.deliveryDate) : null);
  if (placedAt === null) return quarantine('MISSING_DATES', 'neither created_at nor delivery_date');
  if (order.createdAt === null) report({ collection: 'orders', id: order.id, reason: 'MISSING_CREATED_AT', detail: 'placed at its delivery date' });
  const deliveryDate = order.deliveryDate ?? istDateString(placedAt);

  const confirmation = context.confirmations.get(order.id) ?? (order.objectId ? context.confirmations.get(order.objectId) : undefined);
  const delivered = order.status === 'DELIVERED' || (order.status !== 'CANCELLED' && confirmation !== undefined);
  let deliveryBoyLegacyId = context.deliveryBoyId(order.deliveryBoyRef) ?? null;
  if (order.deliveryBoyRef !== null && deliveryBoyLegacyId === null) {
    report({ collection: 'orders', id: order.id, reason: 'UNKNOWN_DELIVERY_BOY', detail: order.deliveryBoyRef });
  }
  if (delivered && deliveryBoyLegacyId === null) deliveryBoyLegacyId = context.deliveryBoyId(confirmation?.deliveryBoyRef ?? null) ?? null;
  const subscriptionLegacyId = context.subscriptionId(order.subscriptionRef) ?? null;
  if (order.subscriptionRef !== null && subscriptionLegacyId === null) {
    report({ collection: 'orders', id: order.id, reason: 'UNKNOWN_SUBSCRIPTION', detail: order.subscriptionRef });
  }
  return {
    kind: 'order',
    order: {
      legacyId: order.id,
      ownerUserId: owner.id,
      status: delivered ? 'DELIVERED' : order.status,
      totalPaise: order.totalPaise,
      placedAt,
      deliveryDate,
      deliveredAt: delivered ? (order.deliveredAt ?? confirmation?.deliveredAt ?? startOfIstDay(deliveryDate)) : null,
      deliveryBoyLegacyId,
      subscriptionLegacyId,
      items,
    },
  };
}

export function orderFact(order: PlannedOrder): OrderFact {
  return { placedAt: order.placedAt, cancelled: order.status === 'CANCELLED', deliveredAt: order.deliveredAt };
}
