// The benchmark data, written straight through Prisma (the way `npm run user:create` and the test
// factories do): a customer with 20 orders × 2 items and 5 subscriptions (the contract `Me`), a supplier
// whose portal lists 100 orders, a population of customers assigned to one delivery boy (the 1,000-row
// authorization query, and his route: each of them has an order for today, IST, with two items) and login
// users for the login burst, all sharing one password hashed at the production cost. The delivery boy's
// deliveries fall today, earlier this week and month and before, and two payouts were made to him (his
// `Me`). Ids are made here so that orders and their items go in with two createMany calls.
import { randomUUID } from 'node:crypto';
import type { DatabaseHandle } from '../src/db/client.js';
import { BcryptPool, PasswordHasher } from '../src/modules/identity/index.js';
import { DAY_MS, istDateString, parseDateOnly, periodRange } from '../src/shared/time.js';

export const BENCH_PASSWORD = 'bench password shared by every seeded login';
export const BENCH_AS_OF = new Date('2026-06-15T06:30:00Z');

export interface SeedSize {
  /** Customers assigned to the delivery boy: the rows of the authorization-cost query. */
  customers: number;
  /** Orders in the supplier portal page (the contract asks for 100). */
  supplierOrders: number;
  /** Orders of the `Me` customer, each with two items. */
  meOrders: number;
  /** Customers that have a password, cycled through by the login burst. */
  loginUsers: number;
  /** The delivery boy's deliveries before today (his `Me` earnings), spread over the last 60 days. */
  pastDeliveries: number;
  bcryptCost: number;
}

/** The data `npm run bench` measures on (and the profiler, bench/profile.ts). */
export const BENCH_SEED: SeedSize = { customers: 1000, supplierOrders: 100, meOrders: 20, loginUsers: 500, pastDeliveries: 120, bcryptCost: 12 };

export interface SeededData {
  customerEmail: string;
  customerUserId: string;
  supplierEmail: string;
  supplierUserId: string;
  adminEmail: string;
  deliveryBoyEmail: string;
  deliveryBoyUserId: string;
  loginEmails: string[];
  deliveryBoyId: string;
  marketingUserId: string;
}

const email = (name: string) => `${name}@bench.example.in`;
const phoneOf = (index: number) => `+918${String(index).padStart(9, '0')}`;
const minutesBefore = (minutes: number) => new Date(BENCH_AS_OF.getTime() - minutes * 60_000);
const dayOf = (date: Date) => new Date(`${date.toISOString().slice(0, 10)}T00:00:00Z`);

interface OrderPlan {
  customerId: string;
  placedAt: Date;
  delivered: boolean;
  /** Set for the orders dated by the real clock (route and deliveries); else the day after placedAt, delivered 20 h after it. */
  deliveryDate?: Date;
  deliveredAt?: Date;
  lines: { productId: string; supplierId: string; pricePaise: number; quantity: number }[];
}

export async function seedBenchData(database: DatabaseHandle, size: SeedSize): Promise<SeededData> {
  const prisma = database.prisma;
  const pool = new BcryptPool(1);
  const stored = await new PasswordHasher(pool, size.bcryptCost).hash(BENCH_PASSWORD).finally(() => pool.close());
  const password = { passwordHash: stored.hash, passwordScheme: stored.scheme };

  const staff = async (name: string, roles: ('ADMIN' | 'SUPPLIER' | 'DELIVERY_BOY' | 'MARKETING_STAFF')[]) =>
    prisma.user.create({ data: { name, email: email(name), roles, ...password } });
  const admin = await staff('admin', ['ADMIN']);
  const marketing = await staff('marketing', ['MARKETING_STAFF']);
  const supplierUser = await staff('supplier', ['SUPPLIER']);
  const otherSupplierUser = await staff('other-supplier', ['SUPPLIER']);
  const deliveryUser = await staff('delivery', ['DELIVERY_BOY']);
  const supplier = await prisma.supplier.create({ data: { userId: supplierUser.id, businessName: 'Bench Dairy' } });
  const otherSupplier = await prisma.supplier.create({ data: { userId: otherSupplierUser.id, businessName: 'Other Farm' } });
  const deliveryBoy = await prisma.deliveryBoy.create({ data: { userId: deliveryUser.id, area: 'Indiranagar' } });

  const products = [supplier, otherSupplier].flatMap((owner, ownerIndex) =>
    Array.from({ length: 5 }, (_, index) => ({
      id: randomUUID(),
      supplierId: owner.id,
      name: `${owner.businessName} product ${index + 1}`,
      unit: index % 2 === 0 ? '500 ml' : '1 kg',
      pricePaise: 2_800 + 450 * index + 1_000 * ownerIndex,
    })),
  );
  await prisma.product.createMany({ data: products });
  const [ownProducts, otherProducts] = [products.slice(0, 5), products.slice(5)];

  const customerUser = await prisma.user.create({
    data: { name: 'Bench customer', email: email('customer'), phone: phoneOf(0), roles: ['CUSTOMER'], ...password },
  });
  const customer = await prisma.customer.create({
    data: {
      userId: customerUser.id,
      name: customerUser.name,
      phone: customerUser.phone,
      email: customerUser.email,
      address: '12 MG Road',
      area: 'Indiranagar',
      activationStatus: 'ACTIVE',
      deliveryBoyId: deliveryBoy.id,
      signupAt: minutesBefore(90 * 24 * 60),
      firstOrderAt: minutesBefore(60 * 24 * 60),
      firstDeliveryAt: minutesBefore(59 * 24 * 60),
      lastOrderAt: minutesBefore(60),
      onboardingCompleted: true,
      welcomeMessageSent: true,
    },
  });
  await prisma.subscription.createMany({
    data: ownProducts.map((product, index) => ({
      customerId: customer.id,
      productId: product.id,
      quantity: 1 + index,
      pattern: 'DAILY' as const,
      shift: 'MORNING' as const,
      startDate: dayOf(minutesBefore(30 * 24 * 60)),
      deliveryBoyId: deliveryBoy.id,
      createdAt: minutesBefore(30 * 24 * 60 - index),
    })),
  });

  // The population: login-less customers on the delivery boy's route, the first `loginUsers` with a password.
  const users = Array.from({ length: size.customers }, (_, index) => ({
    id: randomUUID(),
    name: `Bench population ${index + 1}`,
    email: index < size.loginUsers ? email(`login-${index + 1}`) : null,
    phone: phoneOf(index + 1),
    roles: ['CUSTOMER' as const],
    ...(index < size.loginUsers ? password : {}),
  }));
  await prisma.user.createMany({ data: users });
  const population = users.map((user, index) => ({
    id: randomUUID(),
    userId: user.id,
    name: user.name,
    phone: user.phone,
    email: user.email,
    address: `${index + 1} Residency Road`,
    area: index % 2 === 0 ? 'Indiranagar' : 'Koramangala',
    activationStatus: 'ACTIVE' as const,
    deliveryBoyId: deliveryBoy.id,
    signupAt: minutesBefore(100 * 24 * 60 + index),
    lastOrderAt: minutesBefore(24 * 60 + index),
  }));
  await prisma.customer.createMany({ data: population });

  const plans: OrderPlan[] = [];
  for (let index = 0; index < size.meOrders; index += 1) {
    plans.push({
      customerId: customer.id,
      placedAt: minutesBefore(60 + index * 24 * 60),
      delivered: index > 0,
      lines: [line(ownProducts[index % 5], 1 + (index % 3)), line(otherProducts[index % 5], 1)],
    });
  }
  for (let index = 0; index < size.supplierOrders; index += 1) {
    plans.push({
      customerId: population[index % population.length].id,
      placedAt: minutesBefore(30 + index * 17),
      delivered: index % 4 !== 0,
      lines: [line(ownProducts[index % 5], 2), line(otherProducts[(index + 2) % 5], 1)],
    });
  }
  await insertOrders(database, plans, deliveryBoy.id);
  await seedRoute(database, size, { deliveryBoyId: deliveryBoy.id, rate: deliveryBoy.ratePerDeliveryPaise, customers: population, products: otherProducts });

  return {
    customerEmail: customerUser.email!,
    customerUserId: customerUser.id,
    supplierEmail: supplierUser.email!,
    supplierUserId: supplierUser.id,
    adminEmail: admin.email!,
    deliveryBoyEmail: deliveryUser.email!,
    deliveryBoyUserId: deliveryUser.id,
    loginEmails: users.slice(0, size.loginUsers).map((user) => user.email!),
    deliveryBoyId: deliveryBoy.id,
    marketingUserId: marketing.id,
  };
}

function line(product: { id: string; supplierId: string; pricePaise: number }, quantity: number) {
  return { productId: product.id, supplierId: product.supplierId, pricePaise: product.pricePaise, quantity };
}

/**
 * The delivery boy's route and earnings, dated by the real clock (the servers answer for the IST day and
 * periods containing now): every customer of the population gets an order for today with two items (of the
 * other supplier's products, so the supplier portal's orders stay as they are), the first two of them
 * delivered already; `pastDeliveries` delivered orders before today, one apart every 60 days / n, the older
 * half at an earlier rate; and two payouts, 30 and 14 days ago, of what was earned before each.
 */
async function seedRoute(
  database: DatabaseHandle,
  size: SeedSize,
  route: { deliveryBoyId: string; rate: number; customers: { id: string }[]; products: { id: string; supplierId: string; pricePaise: number }[] },
): Promise<void> {
  const now = new Date();
  const todayStart = periodRange('TODAY', now).from!.getTime();
  const today = parseDateOnly('today', istDateString(now));
  const lines = (index: number) => [line(route.products[index % 5], 1 + (index % 2)), line(route.products[(index + 1) % 5], 1)];
  const deliveries: { index: number; deliveredAt: Date; ratePaise: number }[] = [];
  const plans: OrderPlan[] = route.customers.map((customer, index) => {
    // Placed the evening before, in customer order; two delivered between IST midnight and now.
    const placedAt = new Date(todayStart - 6 * 3_600_000 + index * 1_000);
    const deliveredAt = index < 2 ? new Date(todayStart + ((now.getTime() - todayStart) * (index + 1)) / 3) : undefined;
    if (deliveredAt) deliveries.push({ index, deliveredAt, ratePaise: route.rate });
    return { customerId: customer.id, placedAt, delivered: deliveredAt !== undefined, deliveryDate: today, deliveredAt, lines: lines(index) };
  });
  const spacing = (60 * DAY_MS) / Math.max(1, size.pastDeliveries);
  for (let past = 0; past < size.pastDeliveries; past += 1) {
    const deliveredAt = new Date(todayStart - 60_000 - Math.round(past * spacing));
    deliveries.push({ index: plans.length, deliveredAt, ratePaise: past < size.pastDeliveries / 2 ? route.rate : route.rate - 500 });
    plans.push({
      customerId: route.customers[past % route.customers.length].id,
      placedAt: new Date(deliveredAt.getTime() - 10 * 3_600_000),
      delivered: true,
      deliveryDate: parseDateOnly('deliveryDate', istDateString(deliveredAt)),
      deliveredAt,
      lines: lines(past),
    });
  }
  const ids = await insertOrders(database, plans, route.deliveryBoyId);
  await database.prisma.delivery.createMany({
    data: deliveries.map((delivery) => ({
      orderId: ids[delivery.index],
      deliveryBoyId: route.deliveryBoyId,
      deliveredAt: delivery.deliveredAt,
      ratePaise: delivery.ratePaise,
      createdAt: delivery.deliveredAt,
    })),
  });
  const payouts = [30, 14].map((daysAgo) => {
    const paidAt = new Date(todayStart - daysAgo * DAY_MS + 10 * 3_600_000);
    const earned = deliveries.filter((delivery) => delivery.deliveredAt < paidAt).reduce((sum, delivery) => sum + delivery.ratePaise, 0);
    return { paidAt, earned };
  });
  await database.prisma.payout.createMany({
    data: payouts.map((payout, index) => ({
      deliveryBoyId: route.deliveryBoyId,
      paidAt: payout.paidAt,
      createdAt: payout.paidAt,
      amountPaise: payout.earned - (index > 0 ? payouts[index - 1].earned : 0),
    })),
  });
}

/** Writes the planned orders with their items; answers the orders' ids in plan order. */
async function insertOrders(database: DatabaseHandle, plans: OrderPlan[], deliveryBoyId: string): Promise<string[]> {
  const orders = plans.map((plan) => ({
    id: randomUUID(),
    customerId: plan.customerId,
    status: plan.delivered ? ('DELIVERED' as const) : ('PLACED' as const),
    totalPaise: plan.lines.reduce((sum, item) => sum + item.pricePaise * item.quantity, 0),
    placedAt: plan.placedAt,
    deliveryDate: plan.deliveryDate ?? dayOf(new Date(plan.placedAt.getTime() + 24 * 3_600_000)),
    deliveredAt: plan.delivered ? (plan.deliveredAt ?? new Date(plan.placedAt.getTime() + 20 * 3_600_000)) : null,
    deliveryBoyId,
  }));
  await database.prisma.order.createMany({ data: orders });
  await database.prisma.orderItem.createMany({
    data: plans.flatMap((plan, index) =>
      plan.lines.map((item) => ({
        orderId: orders[index].id,
        productId: item.productId,
        supplierId: item.supplierId,
        quantity: item.quantity,
        unitPricePaise: item.pricePaise,
        lineTotalPaise: item.pricePaise * item.quantity,
      })),
    ),
  });
  return orders.map((order) => order.id);
}
