// Writes one planned customer history (customer-history.ts) in one transaction: the login-less user and
// its customer facet, a subscription, the orders with their lines, the deliveries and the activation
// events, with the same dedupe keys the live transitions use. A customer whose phone is already there is
// left alone, which is what makes the seed idempotent.
import { randomBytes } from 'node:crypto';
import type { Database, DatabaseClient } from '../db/client.js';
import type { ActivationStatus } from '../generated/prisma/enums.js';
import type { StoredPassword } from '../modules/identity/password.hasher.js';
import type { CustomerHistory } from './customer-history.js';
import type { DemoCatalogue } from './demo-staff.seeder.js';

/** A version-7 UUID for `at`: rows written in bulk keep the time order the database's own ids have. */
function uuidV7(at: Date): string {
  const bytes = randomBytes(16);
  bytes.writeUIntBE(at.getTime(), 0, 6);
  bytes[6] = (bytes[6] & 0x0f) | 0x70;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

interface CustomerLogin {
  email: string;
  password: () => Promise<StoredPassword>;
}

type DemoCustomer = { id: string };
type DemoDeliveryBoy = { id: string; ratePerDeliveryPaise: number };

/** Returns false when the customer was already there. */
export async function seedCustomer(db: Database, history: CustomerHistory, catalogue: DemoCatalogue, login?: CustomerLogin): Promise<boolean> {
  if (await db.customer.findUnique({ where: { phone: history.phone }, select: { id: true } })) return false;
  const password = login ? await login.password() : null;
  const deliveryBoy = catalogue.deliveryBoyByArea.get(history.area) ?? null;
  await db.$transaction(
    async (tx) => {
      const customer = await createCustomer(tx, history, deliveryBoy, login?.email ?? null, password);
      await createActivationEvents(tx, history, customer);
      if (history.orders.length === 0) return;
      await createOrders(tx, history, catalogue, customer, deliveryBoy);
    },
    { timeout: 60_000 },
  );
  return true;
}

/** The login-less (or demo-login) user and its customer facet. */
async function createCustomer(
  tx: DatabaseClient,
  history: CustomerHistory,
  deliveryBoy: DemoDeliveryBoy | null,
  email: string | null,
  password: StoredPassword | null,
): Promise<DemoCustomer> {
  const user = await tx.user.create({
    data: {
      name: history.name,
      phone: history.phone,
      email,
      roles: ['CUSTOMER'],
      passwordHash: password?.hash ?? null,
      passwordScheme: password?.scheme ?? null,
      createdAt: history.signupAt,
    },
  });
  return tx.customer.create({
    data: {
      userId: user.id,
      name: history.name,
      phone: history.phone,
      email,
      address: history.address,
      area: history.area,
      activationStatus: history.status,
      signupAt: history.signupAt,
      firstOrderAt: history.firstOrderAt,
      firstDeliveryAt: history.firstDeliveryAt,
      lastOrderAt: history.lastOrderAt,
      churnedAt: history.churnedAt,
      onboardingCompleted: history.firstDeliveryAt !== null,
      welcomeMessageSent: true,
      deliveryBoyId: deliveryBoy?.id ?? null,
      createdAt: history.signupAt,
    },
  });
}

/** The activation transitions the history went through, with the live transitions' dedupe keys. */
async function createActivationEvents(tx: DatabaseClient, history: CustomerHistory, customer: DemoCustomer): Promise<void> {
  const events: { fromStatus: ActivationStatus | null; toStatus: ActivationStatus; at: Date; reason: string; dedupeKey: string }[] = [
    { fromStatus: null, toStatus: 'NEW', at: history.signupAt, reason: 'register', dedupeKey: `signup:${customer.id}` },
  ];
  if (history.firstOrderAt)
    events.push({ fromStatus: 'NEW', toStatus: 'ONBOARDED', at: history.firstOrderAt, reason: 'first-order', dedupeKey: `first-order:${customer.id}` });
  if (history.firstDeliveryAt)
    events.push({
      fromStatus: 'ONBOARDED',
      toStatus: 'ACTIVE',
      at: history.firstDeliveryAt,
      reason: 'first-delivery',
      dedupeKey: `first-delivery:${customer.id}`,
    });
  if (history.churnedAt)
    events.push({
      fromStatus: 'ACTIVE',
      toStatus: 'INACTIVE',
      at: history.churnedAt,
      reason: 'no-order-30-days',
      dedupeKey: `inactive:${customer.id}:${history.lastOrderAt!.toISOString()}`,
    });
  await tx.activationEvent.createMany({ data: events.map((event) => ({ ...event, customerId: customer.id })) });
}

/** Each order of the history with its id and its lines priced from the catalogue. */
function pricedOrders(history: CustomerHistory, catalogue: DemoCatalogue) {
  return history.orders.map((order) => {
    const lines = order.lines.map((line) => {
      const product = catalogue.products[line.product];
      return {
        productId: product.id,
        supplierId: product.supplierId,
        quantity: line.quantity,
        unitPricePaise: product.pricePaise,
        lineTotalPaise: product.pricePaise * line.quantity,
      };
    });
    return { order, id: uuidV7(order.placedAt), lines, totalPaise: lines.reduce((sum, line) => sum + line.lineTotalPaise, 0) };
  });
}

/** The customer's usual subscription, then the orders with their lines and the deliveries. */
async function createOrders(
  tx: DatabaseClient,
  history: CustomerHistory,
  catalogue: DemoCatalogue,
  customer: DemoCustomer,
  deliveryBoy: DemoDeliveryBoy | null,
): Promise<void> {
  // The customer's usual: a subscription to the product of the first order.
  const usual = catalogue.products[history.orders[0].lines[0].product];
  const subscription = await tx.subscription.create({
    data: {
      customerId: customer.id,
      productId: usual.id,
      quantity: history.orders[0].lines[0].quantity,
      pattern: 'DAILY',
      shift: 'MORNING',
      status: history.status === 'INACTIVE' ? 'STOPPED' : 'ACTIVE',
      startDate: history.orders[0].deliveryDate,
      stopDate: history.status === 'INACTIVE' ? history.orders.at(-1)!.deliveryDate : null,
      deliveryBoyId: deliveryBoy?.id ?? null,
    },
  });
  const orders = pricedOrders(history, catalogue);
  await tx.order.createMany({
    data: orders.map(({ order, id, totalPaise }) => ({
      id,
      customerId: customer.id,
      status: order.status,
      totalPaise,
      placedAt: order.placedAt,
      deliveryDate: order.deliveryDate,
      deliveredAt: order.deliveredAt,
      deliveryBoyId: deliveryBoy?.id ?? null,
      subscriptionId: subscription.id,
      createdAt: order.placedAt,
    })),
  });
  await tx.orderItem.createMany({ data: orders.flatMap(({ id, lines }) => lines.map((line) => ({ ...line, orderId: id }))) });
  const delivered = orders.filter(({ order }) => order.deliveredAt !== null);
  await tx.delivery.createMany({
    data: delivered.map(({ id, order }) => ({
      orderId: id,
      deliveryBoyId: deliveryBoy?.id ?? null,
      deliveredAt: order.deliveredAt!,
      ratePaise: deliveryBoy?.ratePerDeliveryPaise ?? 3000,
      createdAt: order.deliveredAt!,
    })),
  });
}
