// Deliveries, earnings in IST periods, payouts and the delivery route (SPEC §6).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';
import { assign, createProduct, makeActor, MARK_DELIVERED, ok, placeOrder, setIst, type Actor } from '../support/testkit/index.js';

let server: TestServer;
let admin: Actor;
let milk: string;

const EARNINGS = `{ me { deliveryBoy { id status paymentFrequency ratePerDelivery { paise formatted }
  today: earnings(period: TODAY) { period deliveries amount { paise formatted } }
  week: earnings(period: WEEK) { period deliveries amount { paise } }
  month: earnings(period: MONTH) { period deliveries amount { paise } }
  allTime: earnings(period: ALL_TIME) { period deliveries amount { paise } }
  unpaidBalance { paise formatted }
  lastPayout { amount { paise formatted } paidAt } } } }`;

const RECORD_PAYOUT = `mutation RecordPayout($deliveryBoyId: ID!, $amountPaise: Int!, $paidAt: DateTime) {
  recordPayout(deliveryBoyId: $deliveryBoyId, amountPaise: $amountPaise, paidAt: $paidAt) { id amount { paise formatted } paidAt } }`;

beforeAll(async () => {
  server = await startTestServer();
  admin = await makeActor(server, ['ADMIN']);
  const supplier = await makeActor(server, ['SUPPLIER']);
  milk = await createProduct(server, admin, supplier.supplierId!, 3_200);
});
afterAll(async () => server?.close());

/** A customer assigned to the delivery boy, with an order for today placed and delivered at `localTime` IST. */
async function deliverAt(deliveryBoy: Actor, localTime: string): Promise<string> {
  setIst(server, localTime);
  const customer = await makeActor(server, ['CUSTOMER']);
  await assign(server, admin, customer.customerId!, deliveryBoy.deliveryBoyId!);
  const orderId = await placeOrder(server, customer, [{ productId: milk, quantity: 1 }]);
  await ok(server, deliveryBoy, MARK_DELIVERED, { orderId });
  return orderId;
}

async function earnings(deliveryBoy: Actor) {
  const data = await ok(server, deliveryBoy, EARNINGS);
  const summary = data.me.deliveryBoy;
  return {
    today: summary.today.deliveries,
    week: summary.week.deliveries,
    month: summary.month.deliveries,
    allTime: summary.allTime.deliveries,
    raw: summary,
  };
}

describe('markOrderDelivered', () => {
  it('is done by the assigned delivery boy once: a second call changes nothing and earns nothing', async () => {
    setIst(server, '2026-06-15T07:00');
    const deliveryBoy = await makeActor(server, ['DELIVERY_BOY']);
    const customer = await makeActor(server, ['CUSTOMER']);
    await assign(server, admin, customer.customerId!, deliveryBoy.deliveryBoyId!);
    const orderId = await placeOrder(server, customer, [{ productId: milk, quantity: 2 }]);
    const first = await ok(server, deliveryBoy, MARK_DELIVERED, { orderId });
    expect(first.markOrderDelivered).toMatchObject({
      id: orderId,
      status: 'DELIVERED',
      deliveredAt: '2026-06-15T01:30:00.000Z',
      // The contract operation as the delivery app sends it: the first delivery made the customer ACTIVE.
      customer: { id: customer.customerId, activationStatus: 'ACTIVE', firstDeliveryAt: '2026-06-15T01:30:00.000Z' },
    });
    server.clock.advance(3_600_000);
    const second = await ok(server, admin, MARK_DELIVERED, { orderId });
    expect(second.markOrderDelivered.customer).toEqual({ id: customer.customerId, activationStatus: 'ACTIVE', firstDeliveryAt: '2026-06-15T01:30:00.000Z' });
    await ok(server, deliveryBoy, MARK_DELIVERED, { orderId });
    expect(second.markOrderDelivered).toMatchObject({ status: 'DELIVERED', deliveredAt: '2026-06-15T01:30:00.000Z' });
    const deliveries = await server.database.prisma.delivery.findMany({ where: { orderId } });
    expect(deliveries).toHaveLength(1);
    expect(deliveries[0]).toMatchObject({ deliveryBoyId: deliveryBoy.deliveryBoyId, ratePaise: 3_000 });
    expect(await server.database.prisma.outboxMessage.count({ where: { customerId: customer.customerId!, template: 'FIRST_DELIVERY_THANKS' } })).toBe(1);
    expect((await earnings(deliveryBoy)).allTime).toBe(1);
  });

  it('is FORBIDDEN to another delivery boy and to the customer, and open to an admin', async () => {
    setIst(server, '2026-06-15T08:00');
    const assigned = await makeActor(server, ['DELIVERY_BOY'], { ratePerDeliveryPaise: 2_500 });
    const other = await makeActor(server, ['DELIVERY_BOY']);
    const customer = await makeActor(server, ['CUSTOMER']);
    await assign(server, admin, customer.customerId!, assigned.deliveryBoyId!);
    const orderId = await placeOrder(server, customer, [{ productId: milk, quantity: 1 }]);
    for (const actor of [other, customer]) {
      const response = await server.gql(MARK_DELIVERED, { orderId }, { token: await actor.token() });
      expect(response.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }
    // A missing order answers exactly like someone else's.
    const missing = await server.gql(MARK_DELIVERED, { orderId: '01900000-0000-7000-8000-000000000000' }, { token: await other.token() });
    expect(missing.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(await server.database.prisma.delivery.count({ where: { orderId } })).toBe(0);
    const byAdmin = await ok(server, admin, MARK_DELIVERED, { orderId });
    expect(byAdmin.markOrderDelivered.status).toBe('DELIVERED');
    // The admin records the delivery for the order's delivery boy, at his rate.
    expect(await server.database.prisma.delivery.findUniqueOrThrow({ where: { orderId } })).toMatchObject({
      deliveryBoyId: assigned.deliveryBoyId,
      ratePaise: 2_500,
    });
  });

  it("stores the delivery boy's rate at the moment of each delivery", async () => {
    const deliveryBoy = await makeActor(server, ['DELIVERY_BOY'], { ratePerDeliveryPaise: 3_000 });
    await deliverAt(deliveryBoy, '2026-06-16T07:00');
    await server.database.prisma.deliveryBoy.update({ where: { id: deliveryBoy.deliveryBoyId! }, data: { ratePerDeliveryPaise: 3_550 } });
    await deliverAt(deliveryBoy, '2026-06-16T08:00');
    const summary = (await earnings(deliveryBoy)).raw;
    expect(summary.ratePerDelivery).toEqual({ paise: 3_550, formatted: '₹35.50' });
    expect(summary.today).toEqual({ period: 'TODAY', deliveries: 2, amount: { paise: 6_550, formatted: '₹65.50' } });
  });
});

describe('earnings follow IST boundaries', () => {
  it('splits days and weeks at midnight IST between a Sunday night and a Monday morning', async () => {
    const deliveryBoy = await makeActor(server, ['DELIVERY_BOY']);
    await deliverAt(deliveryBoy, '2026-06-21T23:59'); // Sunday, 18:29 UTC
    await deliverAt(deliveryBoy, '2026-06-22T00:01'); // Monday, 18:31 UTC the same UTC day

    setIst(server, '2026-06-21T23:59');
    expect(await earnings(deliveryBoy)).toMatchObject({ today: 1, week: 1, month: 2, allTime: 2 });
    setIst(server, '2026-06-22T09:00');
    expect(await earnings(deliveryBoy)).toMatchObject({ today: 1, week: 1, month: 2, allTime: 2 });
    setIst(server, '2026-06-28T23:58'); // the next Sunday: still the Monday's week
    expect(await earnings(deliveryBoy)).toMatchObject({ today: 0, week: 1, month: 2, allTime: 2 });
  });

  it('splits months at midnight IST between the last and the first day of a month', async () => {
    const deliveryBoy = await makeActor(server, ['DELIVERY_BOY']);
    await deliverAt(deliveryBoy, '2026-06-30T23:59'); // Tuesday
    await deliverAt(deliveryBoy, '2026-07-01T00:01'); // Wednesday, same week

    setIst(server, '2026-06-30T23:59');
    expect(await earnings(deliveryBoy)).toMatchObject({ today: 1, week: 2, month: 1, allTime: 2 });
    setIst(server, '2026-07-01T12:00');
    const july = await earnings(deliveryBoy);
    expect(july).toMatchObject({ today: 1, week: 2, month: 1, allTime: 2 });
    expect(july.raw.month.amount.paise).toBe(3_000);
    expect(july.raw.allTime.amount.paise).toBe(6_000);
  });
});

describe('payouts', () => {
  it('reduce the unpaid balance, show as the last payout, and are admin-only, bounded and never in the future', async () => {
    const deliveryBoy = await makeActor(server, ['DELIVERY_BOY']);
    await deliverAt(deliveryBoy, '2026-06-17T07:00');
    await deliverAt(deliveryBoy, '2026-06-17T07:30');
    await deliverAt(deliveryBoy, '2026-06-17T08:00');
    setIst(server, '2026-06-17T20:00');
    expect((await earnings(deliveryBoy)).raw).toMatchObject({ unpaidBalance: { paise: 9_000 }, lastPayout: null });

    const first = await ok(server, admin, RECORD_PAYOUT, { deliveryBoyId: deliveryBoy.deliveryBoyId, amountPaise: 5_000, paidAt: '2026-06-17T10:00:00.000Z' });
    expect(first.recordPayout).toMatchObject({ amount: { paise: 5_000, formatted: '₹50.00' }, paidAt: '2026-06-17T10:00:00.000Z' });
    await ok(server, admin, RECORD_PAYOUT, { deliveryBoyId: deliveryBoy.deliveryBoyId, amountPaise: 1_000 });
    const after = (await earnings(deliveryBoy)).raw;
    expect(after.unpaidBalance).toEqual({ paise: 3_000, formatted: '₹30.00' });
    expect(after.lastPayout).toEqual({ amount: { paise: 1_000, formatted: '₹10.00' }, paidAt: server.clock.now().toISOString() });
    expect(after.allTime.amount.paise).toBe(9_000);

    const tooMuch = await server.gql(RECORD_PAYOUT, { deliveryBoyId: deliveryBoy.deliveryBoyId, amountPaise: 3_001 }, { token: await admin.token() });
    expect(tooMuch.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'amountPaise' });
    const future = await server.gql(
      RECORD_PAYOUT,
      { deliveryBoyId: deliveryBoy.deliveryBoyId, amountPaise: 100, paidAt: '2027-01-01T00:00:00.000Z' },
      { token: await admin.token() },
    );
    expect(future.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'paidAt' });
    const byHimself = await server.gql(RECORD_PAYOUT, { deliveryBoyId: deliveryBoy.deliveryBoyId, amountPaise: 100 }, { token: await deliveryBoy.token() });
    expect(byHimself.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(await server.database.prisma.payout.count({ where: { deliveryBoyId: deliveryBoy.deliveryBoyId! } })).toBe(2);
    expect(await server.database.prisma.auditLog.count({ where: { action: 'payout.record', actorUserId: admin.userId } })).toBeGreaterThanOrEqual(2);
  });
});

describe('the route', () => {
  it("lists today's orders (IST) with the customers' contact details, and nothing of other routes or days", async () => {
    setIst(server, '2026-06-18T06:00');
    const deliveryBoy = await makeActor(server, ['DELIVERY_BOY']);
    const colleague = await makeActor(server, ['DELIVERY_BOY']);
    const mine = await makeActor(server, ['CUSTOMER'], { area: 'Indiranagar', address: '4 Park Lane' });
    const theirs = await makeActor(server, ['CUSTOMER']);
    await assign(server, admin, mine.customerId!, deliveryBoy.deliveryBoyId!);
    await assign(server, admin, theirs.customerId!, colleague.deliveryBoyId!);
    const today = await placeOrder(server, mine, [{ productId: milk, quantity: 3 }]);
    await placeOrder(server, mine, [{ productId: milk, quantity: 1 }], '2026-06-19');
    await placeOrder(server, theirs, [{ productId: milk, quantity: 1 }]);
    const route = await ok(
      server,
      deliveryBoy,
      `query MyRoute { me { deliveryBoy { todaysOrders { id status customer { name phone address area } items { quantity product { name unit } } } } } }`,
    );
    expect(route.me.deliveryBoy.todaysOrders).toEqual([
      {
        id: today,
        status: 'PLACED',
        customer: { name: mine.name, phone: mine.phone, address: '4 Park Lane', area: 'Indiranagar' },
        items: [{ quantity: 3, product: { name: expect.any(String), unit: '500 ml' } }],
      },
    ]);
  });
});
