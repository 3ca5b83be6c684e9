// Activation transitions (SPEC §4), each written in the caller's transaction together with its
// ActivationEvent and its message. Dedupe keys make a replayed event change nothing and queue nothing.
// Order and delivery transitions read the customer's current status in the same statement that changes
// it (the row is locked first), so a concurrent sweep or a second order cannot be decided on a stale read.
// Other modules call these through activation's index.ts; the statements are activation-transition.repository.ts's.
import type { DatabaseClient } from '../../db/client.js';
import type { ActivationStatus } from '../../generated/prisma/enums.js';
import { customerAddress, enqueueMessage } from '../messages/index.js';
import { addActivationEvent, applyFirstDelivery, applyOrderPlaced, markSignedUp } from './activation-transition.repository.js';

interface CustomerContactCard {
  id: string;
  name: string;
  phone: string | null;
  email: string | null;
}

type SignupReason = 'register' | 'otp-signup' | 'marketing';

/** Signup: the customer starts as NEW at `at`, and the welcome message is queued. */
export async function recordSignup(db: DatabaseClient, customer: CustomerContactCard, at: Date, reason: SignupReason): Promise<void> {
  const added = await addActivationEvent(db, { customerId: customer.id, fromStatus: null, toStatus: 'NEW', at, reason, dedupeKey: `signup:${customer.id}` });
  if (!added) return;
  await markSignedUp(db, customer.id, at);
  const address = customerAddress(customer);
  if (address) {
    await enqueueMessage(db, {
      dedupeKey: `welcome:${customer.id}`,
      ...address,
      template: 'WELCOME',
      variables: { name: customer.name },
      customerId: customer.id,
      at,
    });
  }
}

interface CustomerActivationState extends CustomerContactCard {
  activationStatus: ActivationStatus;
  firstOrderAt: Date | null;
  firstDeliveryAt: Date | null;
}

/**
 * An order was placed (call inside the order's transaction): every order moves lastOrderAt forward; the
 * first sets firstOrderAt and queues the order confirmation; NEW → ONBOARDED; INACTIVE → ACTIVE with
 * churnedAt cleared and a welcome-back message.
 */
export async function recordOrderPlaced(
  db: DatabaseClient,
  customer: CustomerActivationState,
  order: { id: string; placedAt: Date },
  variables: Record<string, string | number> = {},
): Promise<void> {
  const at = order.placedAt;
  const change = await applyOrderPlaced(db, customer.id, at);
  if (!change) return;
  const address = customerAddress(customer);
  if (change.before === 'NEW') {
    await addEvent(db, customer.id, 'NEW', 'ONBOARDED', at, 'first-order', `first-order:${customer.id}`);
  }
  if (change.firstOrderBefore === null && address) {
    await enqueueMessage(db, {
      dedupeKey: `order-confirmation:${customer.id}`,
      ...address,
      template: 'ORDER_CONFIRMATION',
      variables: { name: customer.name, ...variables },
      customerId: customer.id,
      at,
    });
  }
  if (change.before === 'INACTIVE') {
    await addEvent(db, customer.id, 'INACTIVE', 'ACTIVE', at, 'order-while-inactive', `welcome-back:${order.id}`);
    if (address) {
      await enqueueMessage(db, {
        dedupeKey: `welcome-back:${order.id}`,
        ...address,
        template: 'WELCOME_BACK',
        variables: { name: customer.name },
        customerId: customer.id,
        at,
      });
    }
  }
}

/** A delivery was recorded: the first one sets firstDeliveryAt, onboardingCompleted and status ACTIVE. */
export async function recordDelivery(db: DatabaseClient, customer: CustomerActivationState, deliveredAt: Date): Promise<void> {
  if (customer.firstDeliveryAt !== null) return;
  const change = await applyFirstDelivery(db, customer.id, deliveredAt);
  if (!change) return;
  await addEvent(db, customer.id, change.before, 'ACTIVE', deliveredAt, 'first-delivery', `first-delivery:${customer.id}`);
  const address = customerAddress(customer);
  if (address) {
    await enqueueMessage(db, {
      dedupeKey: `first-delivery-thanks:${customer.id}`,
      ...address,
      template: 'FIRST_DELIVERY_THANKS',
      variables: { name: customer.name },
      customerId: customer.id,
      at: deliveredAt,
    });
  }
}

async function addEvent(
  db: DatabaseClient,
  customerId: string,
  from: ActivationStatus,
  to: ActivationStatus,
  at: Date,
  reason: string,
  dedupeKey: string,
): Promise<void> {
  await addActivationEvent(db, { customerId, fromStatus: from, toStatus: to, at, reason, dedupeKey });
}
