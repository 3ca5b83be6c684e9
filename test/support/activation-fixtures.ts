// Fixtures for the activation tests: customers, orders and deliveries written straight into the database,
// with the activation transitions run in the same transaction, as the order and delivery code does.
import { recordDelivery, recordOrderPlaced, recordSignup } from '../../src/modules/activation/index.js';
import { uniqueEmail, uniquePhone } from './factories.js';
import type { TestServer } from './server.js';

export type ActivationStatusName = 'NEW' | 'ONBOARDED' | 'ACTIVE' | 'INACTIVE';

export interface CustomerFixture {
  name?: string;
  phone?: string | null;
  email?: string | null;
  signupAt?: Date;
  deliveryBoyId?: string | null;
}

/** A user with its customer facet, signed up through the real signup transition. */
export async function createCustomer(server: TestServer, fixture: CustomerFixture = {}) {
  const prisma = server.database.prisma;
  const signupAt = fixture.signupAt ?? new Date(server.clock.now().getTime() - 10 * 24 * 60 * 60 * 1000);
  const phone = fixture.phone === undefined ? uniquePhone() : fixture.phone;
  const email = fixture.email === undefined ? uniqueEmail('customer') : fixture.email;
  return prisma.$transaction(async (tx) => {
    const user = await tx.user.create({ data: { name: fixture.name ?? 'Asha Customer', phone, email, roles: ['CUSTOMER'] } });
    const customer = await tx.customer.create({
      data: { userId: user.id, name: user.name, phone, email, signupAt, deliveryBoyId: fixture.deliveryBoyId ?? null },
    });
    await recordSignup(tx, customer, signupAt, 'marketing');
    return customer;
  });
}

/** A customer row with its activation fields set directly (a population for the dashboard). */
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
  const prisma = server.database.prisma;
  const user = await prisma.user.create({ data: { name: 'Population Customer', phone: uniquePhone(), roles: ['CUSTOMER'] } });
  return prisma.customer.create({
    data: {
      userId: user.id,
      name: user.name,
      phone: user.phone,
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

/** An order row (no items: activation needs only the total and the status). */
export async function insertOrder(
  server: TestServer,
  customerId: string,
  order: { placedAt: Date; totalPaise: number; status?: 'PLACED' | 'DELIVERED' | 'CANCELLED' | 'NOT_DELIVERED'; deliveredAt?: Date | null },
) {
  return server.database.prisma.order.create({
    data: {
      customerId,
      placedAt: order.placedAt,
      totalPaise: order.totalPaise,
      status: order.status ?? 'PLACED',
      deliveryDate: new Date(Date.UTC(order.placedAt.getUTCFullYear(), order.placedAt.getUTCMonth(), order.placedAt.getUTCDate())),
      deliveredAt: order.deliveredAt ?? null,
    },
  });
}

/** Places an order the way the order service does: order row and transition in one transaction. */
export async function placeOrder(server: TestServer, customerId: string, placedAt: Date, totalPaise = 6_000) {
  return server.database.prisma.$transaction(async (tx) => {
    const customer = await tx.customer.findUniqueOrThrow({ where: { id: customerId } });
    const order = await tx.order.create({
      data: { customerId, placedAt, totalPaise, deliveryDate: new Date(Date.UTC(placedAt.getUTCFullYear(), placedAt.getUTCMonth(), placedAt.getUTCDate())) },
    });
    await recordOrderPlaced(tx, customer, order, { total: '₹60.00' });
    return order;
  });
}

/** Delivers an order the way the delivery code does: status, delivery row and transition together. */
export async function deliverOrder(server: TestServer, orderId: string, deliveredAt: Date) {
  return server.database.prisma.$transaction(async (tx) => {
    const order = await tx.order.update({ where: { id: orderId }, data: { status: 'DELIVERED', deliveredAt } });
    await tx.delivery.create({ data: { orderId, deliveredAt, ratePaise: 3000 } });
    const customer = await tx.customer.findUniqueOrThrow({ where: { id: order.customerId } });
    await recordDelivery(tx, customer, deliveredAt);
    return order;
  });
}

export function daysBefore(instant: Date, days: number): Date {
  return new Date(instant.getTime() - days * 24 * 60 * 60 * 1000);
}
