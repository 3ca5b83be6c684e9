// npm run seed's data set, as the services see it: every role can sign in, every activation status is
// there with consistent history, and seeding again changes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BcryptPool, PasswordHasher } from '../../src/modules/identity/index.js';
import { seedDemoData } from '../../src/seed/demo-data.js';
import { DEMO_CUSTOMER_EMAIL, DEMO_PASSWORD, DEMO_STAFF } from '../../src/seed/demo-logins.js';
import { fromNewIp, LOGIN } from '../support/operations.js';
import { startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
let pool: BcryptPool;
const DAY_MS = 86_400_000;

beforeAll(async () => {
  server = await startTestServer({ TRUST_PROXY: 'true' });
  pool = new BcryptPool(1);
});
afterAll(async () => {
  await pool?.close();
  await server?.close();
});

function seed(customers: number) {
  return seedDemoData(server.database.prisma, { customers, now: server.clock.now(), hasher: new PasswordHasher(pool, 4) });
}

async function tableCounts() {
  const prisma = server.database.prisma;
  const [users, customers, orders, items, deliveries, events, subscriptions, products, priceChanges, payouts] = await Promise.all([
    prisma.user.count(),
    prisma.customer.count(),
    prisma.order.count(),
    prisma.orderItem.count(),
    prisma.delivery.count(),
    prisma.activationEvent.count(),
    prisma.subscription.count(),
    prisma.product.count(),
    prisma.priceChangeRequest.count(),
    prisma.payout.count(),
  ]);
  return { users, customers, orders, items, deliveries, events, subscriptions, products, priceChanges, payouts };
}

async function signIn(identifier: string) {
  const answer = await server.gql(LOGIN, { identifier, password: DEMO_PASSWORD }, fromNewIp());
  expect(answer.errors).toBeUndefined();
  return answer.data.login as { accessToken: string; user: { roles: string[] } };
}

describe('npm run seed', () => {
  it('builds staff of every role, two suppliers with products and customers in every activation status', async () => {
    const summary = await seed(12);
    expect(summary).toMatchObject({ customersCreated: 12, customersAlreadyThere: 0, staffCreated: DEMO_STAFF.length });
    expect(Object.values(summary.byStatus).every((count) => count >= 2)).toBe(true);

    const prisma = server.database.prisma;
    const now = server.clock.now().getTime();
    const roles = new Set((await prisma.user.findMany({ select: { roles: true } })).flatMap((user) => user.roles));
    expect([...roles].sort()).toEqual(['ADMIN', 'CUSTOMER', 'DELIVERY_BOY', 'MARKETING_STAFF', 'SUPPLIER']);
    const suppliers = await prisma.supplier.findMany({ include: { _count: { select: { products: true } } } });
    expect(suppliers.map((supplier) => supplier._count.products).sort()).toEqual([3, 5]);
    expect(await prisma.priceChangeRequest.count({ where: { status: 'PENDING' } })).toBe(2);

    // Months of history, with the activation fields agreeing with the orders.
    const oldest = await prisma.order.findFirst({ orderBy: { placedAt: 'asc' } });
    expect(now - oldest!.placedAt.getTime()).toBeGreaterThan(60 * DAY_MS);
    expect(await prisma.delivery.count()).toBe(await prisma.order.count({ where: { status: 'DELIVERED' } }));
    for (const customer of await prisma.customer.findMany({ where: { phone: { startsWith: '+9170' } }, include: { _count: { select: { orders: true } } } })) {
      const lastOrderAge = customer.lastOrderAt ? now - customer.lastOrderAt.getTime() : null;
      if (customer.activationStatus === 'NEW') expect(customer._count.orders).toBe(0);
      if (customer.activationStatus === 'ONBOARDED') expect([customer._count.orders, customer.firstDeliveryAt]).toEqual([1, null]);
      if (customer.activationStatus === 'ACTIVE') expect(lastOrderAge).toBeLessThan(30 * DAY_MS);
      if (customer.activationStatus === 'INACTIVE') {
        expect(lastOrderAge).toBeGreaterThan(30 * DAY_MS);
        expect(customer.churnedAt!.getTime() - customer.lastOrderAt!.getTime()).toBe(30 * DAY_MS);
      }
    }
  });

  it('prints logins that work, and the dashboard and sweep agree with the data', async () => {
    for (const login of DEMO_STAFF) expect((await signIn(login.email)).user.roles).toEqual(login.roles);
    expect((await signIn(DEMO_CUSTOMER_EMAIL)).user.roles).toEqual(['CUSTOMER']);
    const admin = await signIn('admin@dairy.example');
    const dashboard = await server.gql(
      '{ activationDashboard { totalCustomers new onboarded active inactive revenueByStatus { active { paise } } } }',
      {},
      { token: admin.accessToken },
    );
    expect(dashboard.errors).toBeUndefined();
    const prisma = server.database.prisma;
    const count = (activationStatus: 'NEW' | 'ONBOARDED' | 'ACTIVE' | 'INACTIVE') => prisma.customer.count({ where: { activationStatus } });
    expect(dashboard.data.activationDashboard).toMatchObject({
      totalCustomers: await prisma.customer.count(),
      new: await count('NEW'),
      onboarded: await count('ONBOARDED'),
      active: await count('ACTIVE'),
      inactive: await count('INACTIVE'),
    });
    expect(dashboard.data.activationDashboard.revenueByStatus.active.paise).toBeGreaterThan(0);
    // Consistent history: the inactivity sweep finds nobody to mark.
    const sweep = await server.gql('mutation { runInactivitySweep { markedInactive } }', {}, { token: admin.accessToken });
    expect(sweep.data.runInactivitySweep.markedInactive).toBe(0);
    const supplier = await signIn('gokul@dairy.example');
    const portal = await server.gql('{ me { supplier { products { name } priceChangeRequests { status } } } }', {}, { token: supplier.accessToken });
    expect(portal.data.me.supplier.products).toHaveLength(5);
    expect(portal.data.me.supplier.priceChangeRequests).toEqual([{ status: 'PENDING' }]);
  });

  it('is idempotent: seeding again changes nothing, and a larger N only adds customers', async () => {
    const before = await tableCounts();
    const again = await seed(12);
    expect(again).toMatchObject({ customersCreated: 0, customersAlreadyThere: 12, staffCreated: 0 });
    expect(await tableCounts()).toEqual(before);
    const more = await seed(14);
    expect(more).toMatchObject({ customersCreated: 2, customersAlreadyThere: 12, staffCreated: 0 });
    const after = await tableCounts();
    expect(after.customers).toBe(before.customers + 2);
    expect(after.users).toBe(before.users + 2);
    expect([after.products, after.priceChanges, after.payouts]).toEqual([before.products, before.priceChanges, before.payouts]);
  });
});
