// Activation transitions (SPEC §4), each written in the caller's transaction together with its
// ActivationEvent and its message. Dedupe keys make a replayed event change nothing and queue nothing.
import type { DatabaseClient } from '../../db/client.js';
import { customerAddress, enqueueMessage } from '../messages/outbox.repository.js';

export interface CustomerContactCard {
  id: string;
  name: string;
  phone: string | null;
  email: string | null;
}

export type SignupReason = 'register' | 'otp-signup' | 'marketing';

/** Signup: the customer starts as NEW at `at`, and the welcome message is queued. */
export async function recordSignup(
  db: DatabaseClient,
  customer: CustomerContactCard,
  at: Date,
  reason: SignupReason,
): Promise<void> {
  const event = await db.activationEvent.createMany({
    data: [{ customerId: customer.id, fromStatus: null, toStatus: 'NEW', at, reason, dedupeKey: `signup:${customer.id}` }],
    skipDuplicates: true,
  });
  if (event.count === 0) return;
  await db.customer.update({ where: { id: customer.id }, data: { activationStatus: 'NEW', signupAt: at } });
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

export interface CustomerActivationState extends CustomerContactCard {
  activationStatus: 'NEW' | 'ONBOARDED' | 'ACTIVE' | 'INACTIVE';
  firstOrderAt: Date | null;
  firstDeliveryAt: Date | null;
}

/**
 * An order was placed (call inside the order's transaction, with the customer row read in it):
 * every order sets lastOrderAt; the first sets firstOrderAt and moves NEW → ONBOARDED; an order while
 * INACTIVE moves to ACTIVE and clears churnedAt.
 */
export async function recordOrderPlaced(
  db: DatabaseClient,
  customer: CustomerActivationState,
  order: { id: string; placedAt: Date },
  variables: Record<string, string | number> = {},
): Promise<void> {
  const at = order.placedAt;
  await db.customer.update({ where: { id: customer.id }, data: { lastOrderAt: at } });
  const address = customerAddress(customer);
  if (customer.firstOrderAt === null) {
    const claimed = await db.customer.updateMany({ where: { id: customer.id, firstOrderAt: null }, data: { firstOrderAt: at } });
    if (claimed.count === 1 && customer.activationStatus === 'NEW') {
      await transition(db, customer.id, 'NEW', 'ONBOARDED', at, 'first-order', `first-order:${customer.id}`);
      if (address) {
        await enqueueMessage(db, { dedupeKey: `order-confirmation:${customer.id}`, ...address, template: 'ORDER_CONFIRMATION', variables: { name: customer.name, ...variables }, customerId: customer.id, at });
      }
    }
  }
  if (customer.activationStatus === 'INACTIVE') {
    const moved = await db.customer.updateMany({ where: { id: customer.id, activationStatus: 'INACTIVE' }, data: { activationStatus: 'ACTIVE', churnedAt: null } });
    if (moved.count === 1) {
      await db.activationEvent.create({ data: { customerId: customer.id, fromStatus: 'INACTIVE', toStatus: 'ACTIVE', at, reason: 'order-while-inactive', dedupeKey: `welcome-back:${order.id}` } });
      if (address) {
        await enqueueMessage(db, { dedupeKey: `welcome-back:${order.id}`, ...address, template: 'WELCOME_BACK', variables: { name: customer.name }, customerId: customer.id, at });
      }
    }
  }
}

/** A delivery was recorded: the first one sets firstDeliveryAt, onboardingCompleted and status ACTIVE. */
export async function recordDelivery(db: DatabaseClient, customer: CustomerActivationState, deliveredAt: Date): Promise<void> {
  if (customer.firstDeliveryAt !== null) return;
  const claimed = await db.customer.updateMany({
    where: { id: customer.id, firstDeliveryAt: null },
    data: { firstDeliveryAt: deliveredAt, onboardingCompleted: true, activationStatus: 'ACTIVE', churnedAt: null },
  });
  if (claimed.count === 0) return;
  await db.activationEvent.create({
    data: { customerId: customer.id, fromStatus: customer.activationStatus, toStatus: 'ACTIVE', at: deliveredAt, reason: 'first-delivery', dedupeKey: `first-delivery:${customer.id}` },
  });
  const address = customerAddress(customer);
  if (address) {
    await enqueueMessage(db, { dedupeKey: `first-delivery-thanks:${customer.id}`, ...address, template: 'FIRST_DELIVERY_THANKS', variables: { name: customer.name }, customerId: customer.id, at: deliveredAt });
  }
}

async function transition(
  db: DatabaseClient,
  customerId: string,
  from: CustomerActivationState['activationStatus'],
  to: CustomerActivationState['activationStatus'],
  at: Date,
  reason: string,
  dedupeKey: string,
): Promise<boolean> {
  const moved = await db.customer.updateMany({ where: { id: customerId, activationStatus: from }, data: { activationStatus: to } });
  if (moved.count === 0) return false;
  await db.activationEvent.create({ data: { customerId, fromStatus: from, toStatus: to, at, reason, dedupeKey } });
  return true;
}
