// Customers, orders and deliveries for the activation tests, written through the owning modules'
// repositories with the activation transitions in the same transaction, as the order and delivery services
// do, but at instants of the test's choosing (the API places and delivers orders at the server clock only).
import { recordDelivery, recordOrderPlaced, recordSignup } from '../../../src/modules/activation/index.js';
import { CustomerRepository } from '../../../src/modules/customers/index.js';
import { DeliveryRepository } from '../../../src/modules/delivery/index.js';
import { IdentityRepository } from '../../../src/modules/identity/index.js';
import { OrderRepository } from '../../../src/modules/orders/index.js';
import type { TestServer } from '../server.js';
import { uniqueEmail, uniquePhone } from './unique.js';

export type ActivationStatusName = 'NEW' | 'ONBOARDED' | 'ACTIVE' | 'INACTIVE';

export interface CustomerFixture {
  name?: string;
  phone?: string | null;
  email?: string | null;
  signupAt?: Date;
  deliveryBoyId?: string | null;
}

/** The calendar day (UTC) of an instant, as an order's delivery date. */
function dayOf(instant: Date): Date {
  return new Date(Date.UTC(instant.getUTCFullYear(), instant.getUTCMonth(), instant.getUTCDate()));
}

/** A user with its customer facet, signed up through the real signup transition. */
export async function createCustomer(server: TestServer, fixture: CustomerFixture = {}) {
  const db = server.database.prisma;
  const signupAt = fixture.signupAt ?? new Date(server.clock.now().getTime() - 10 * 24 * 60 * 60 * 1000);
  const phone = fixture.phone === undefined ? uniquePhone() : fixture.phone;
  const email = fixture.email === undefined ? uniqueEmail('customer') : fixture.email;
  return db.$transaction(async (tx) => {
    const user = await new IdentityRepository(db).createUserWithCustomer(
      tx,
      { name: fixture.name ?? 'Asha Customer', phone, email, roles: ['CUSTOMER'], customer: {} },
      new Date(),
    );
    const customer = fixture.deliveryBoyId ? await new CustomerRepository(db).assignDeliveryBoy(tx, user.customer!.id, fixture.deliveryBoyId) : user.customer!;
    await recordSignup(tx, customer, signupAt, 'marketing');
    // The signup transition sets the signup instant.
    return { ...customer, signupAt };
  });
}

/**
 * A customer with its activation fields set directly (a population for the dashboard, without the orders
 * and events that would lead there). No module exports a write of these fields outside its transitions.
 */
export async function createCustomerInState(
  server: TestServer,
  state: {
    status: ActivationStatusName;
    signupAt: Date;
    firstOrderAt?: Date | null;
    firstDeliveryAt?: Date | null;
    lastOrderAt?: Date | null;
    archivedAt?: Date | null;
  },
) {
  const db = server.database.prisma;
  const user = await new IdentityRepository(db).createUserWithCustomer(
    db,
    { name: 'Population Customer', email: null, phone: uniquePhone(), roles: ['CUSTOMER'], customer: {} },
    new Date(),
  );
  return db.customer.update({
    where: { id: user.customer!.id },
    data: {
      activationStatus: state.status,
      signupAt: state.signupAt,
      firstOrderAt: state.firstOrderAt ?? null,
      firstDeliveryAt: state.firstDeliveryAt ?? null,
      lastOrderAt: state.lastOrderAt ?? state.firstOrderAt ?? null,
      onboardingCompleted: Boolean(state.firstDeliveryAt),
      archivedAt: state.archivedAt ?? null,
    },
  });
}

/**
 * An order without items and without transitions (activation needs only the total and the status). No
 * module exports a move to CANCELLED or NOT_DELIVERED, so those statuses are set directly.
 */
export async function insertOrder(
  server: TestServer,
  customerId: string,
  order: { placedAt: Date; totalPaise: number; status?: 'PLACED' | 'DELIVERED' | 'CANCELLED' | 'NOT_DELIVERED'; deliveredAt?: Date | null },
) {
  const db = server.database.prisma;
  const placed = await new OrderRepository(db).create(db, {
    customerId,
    deliveryBoyId: null,
    subscriptionId: null,
    deliveryDate: dayOf(order.placedAt),
    placedAt: order.placedAt,
    totalPaise: order.totalPaise,
    items: [],
  });
  const status = order.status ?? 'PLACED';
  if (status === 'PLACED' && !order.deliveredAt) return placed;
  if (status === 'DELIVERED' && order.deliveredAt) {
    const orders = new OrderRepository(db);
    await orders.markDelivered(db, placed.id, order.deliveredAt);
    return orders.findByIdIn(db, placed.id);
  }
  return db.order.update({ where: { id: placed.id }, data: { status, deliveredAt: order.deliveredAt ?? null } });
}

/** Places an order at `placedAt` the way the order service does: order row and transition in one transaction. */
export async function placeOrderAt(server: TestServer, customerId: string, placedAt: Date, totalPaise = 6_000) {
  const db = server.database.prisma;
  const orders = new OrderRepository(db);
  return db.$transaction(async (tx) => {
    const customer = await new CustomerRepository(db).findByIdIn(tx, customerId);
    if (!customer) throw new Error(`no customer ${customerId}`);
    const order = await orders.create(tx, {
      customerId,
      deliveryBoyId: null,
      subscriptionId: null,
      deliveryDate: dayOf(placedAt),
      placedAt,
      totalPaise,
      items: [],
    });
    await recordOrderPlaced(tx, customer, order, { total: '₹60.00' });
    return order;
  });
}

/** Delivers an order the way the delivery service does: status, delivery row and transition together. */
export async function deliverOrder(server: TestServer, orderId: string, deliveredAt: Date) {
  const db = server.database.prisma;
  const deliveries = new DeliveryRepository(db);
  const orders = new OrderRepository(db);
  return db.$transaction(async (tx) => {
    if (!(await orders.markDelivered(tx, orderId, deliveredAt))) throw new Error(`order ${orderId} cannot be delivered`);
    await deliveries.createDelivery(tx, { orderId, deliveryBoyId: null, deliveredAt, ratePaise: 3000 });
    const order = await orders.findByIdIn(tx, orderId);
    const customer = await new CustomerRepository(db).findByIdOrThrowIn(tx, order.customerId);
    await recordDelivery(tx, customer, deliveredAt);
    return order;
  });
}

export function daysBefore(instant: Date, days: number): Date {
  return new Date(instant.getTime() - days * 24 * 60 * 60 * 1000);
}
