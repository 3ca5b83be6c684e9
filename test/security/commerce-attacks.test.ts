// Commerce rules an insider could bend (SPEC §3, §6): a delivery boy paid now for an order of a later day,
// a delivery boy reading his orders of other days, text that displays other than it reads (bidirectional
// overrides, zero-width characters) in what staff see, and payouts dated decades back. Each refusal must
// name the field and write nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';
import {
  assign,
  createProduct,
  istToday,
  makeActor,
  MARK_DELIVERED,
  ok,
  placeOrder,
  setIst,
  STRONG_PASSWORD,
  uniqueEmail,
  uniquePhone,
  type Actor,
} from '../support/testkit/index.js';
import { REGISTER } from '../support/operations.js';

let server: TestServer;
let admin: Actor;
let supplier: Actor;
let milk: string;

const MISSING = '01900000-0000-7000-8000-00000000abcd';
const RLO = '\u202e';

const EARNINGS = `query { me { deliveryBoy {
  today: earnings(period: TODAY) { deliveries amount { paise } }
  allTime: earnings(period: ALL_TIME) { deliveries amount { paise } }
  unpaidBalance { paise }
  todaysOrders { id }
} } }`;
const ORDER_BY_ID = `query($id: ID!) { order(id: $id) { id status deliveryDate customer { name phone address } } }`;
const RECORD_PAYOUT = `mutation($d: ID!, $amount: Int!, $paidAt: DateTime) { recordPayout(deliveryBoyId: $d, amountPaise: $amount, paidAt: $paidAt) { id paidAt } }`;

/** The answer with its messages and codes only, to compare a refused record's answer with a missing one's. */
const shape = (response: { data?: unknown; errors?: { message: string; extensions?: Record<string, any> }[] }) => ({
  data: response.data,
  errors: response.errors?.map((error) => ({ message: error.message, code: error.extensions?.code })),
});

const fieldError = (response: { errors?: { extensions?: Record<string, any> }[] }) => response.errors?.[0]?.extensions;

/** A customer assigned to a new delivery boy, with an order of one milk for `deliveryDate`. */
async function route(deliveryDate: string, options: { address?: string } = {}) {
  const deliveryBoy = await makeActor(server, ['DELIVERY_BOY']);
  const customer = await makeActor(server, ['CUSTOMER'], { address: options.address });
  await assign(server, admin, customer.customerId!, deliveryBoy.deliveryBoyId!);
  const orderId = await placeOrder(server, customer, [{ productId: milk, quantity: 1 }], deliveryDate);
  return { deliveryBoy, customer, orderId };
}

function daysFromToday(days: number): string {
  return new Date(Date.parse(`${istToday(server)}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

beforeAll(async () => {
  server = await startTestServer();
  setIst(server, '2026-06-15T07:00');
  admin = await makeActor(server, ['ADMIN']);
  supplier = await makeActor(server, ['SUPPLIER']);
  milk = await createProduct(server, admin, supplier.supplierId!, 3_000);
});
afterAll(async () => server?.close());

describe('delivering an order on another day than its delivery date', () => {
  it('refuses a delivery boy an order 20 days ahead, naming orderId, and writes nothing', async () => {
    setIst(server, '2026-06-15T07:00');
    const { deliveryBoy, customer, orderId } = await route(daysFromToday(20));
    const before = await server.database.prisma.customer.findUniqueOrThrow({ where: { id: customer.customerId! } });

    const early = await server.gql(MARK_DELIVERED, { orderId }, { token: await deliveryBoy.token() });
    expect(early.data).toBeNull();
    expect(fieldError(early)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'orderId' });

    const db = server.database.prisma;
    expect(await db.order.findUniqueOrThrow({ where: { id: orderId } })).toMatchObject({ status: 'PLACED', deliveredAt: null });
    expect(await db.delivery.count({ where: { orderId } })).toBe(0);
    const earnings = (await ok(server, deliveryBoy, EARNINGS)).me.deliveryBoy;
    expect(earnings.today).toEqual({ deliveries: 0, amount: { paise: 0 } });
    expect(earnings.allTime).toEqual({ deliveries: 0, amount: { paise: 0 } });
    expect(earnings.unpaidBalance).toEqual({ paise: 0 });
    const after = await db.customer.findUniqueOrThrow({ where: { id: customer.customerId! } });
    expect(after.activationStatus).toBe('ONBOARDED');
    expect(after).toEqual(before);
    expect(await db.outboxMessage.count({ where: { customerId: customer.customerId!, template: 'FIRST_DELIVERY_THANKS' } })).toBe(0);
    expect(await db.activationEvent.count({ where: { customerId: customer.customerId!, toStatus: 'ACTIVE' } })).toBe(0);
  });

  it('refuses an admin a future order too, and lets him record a past one that a delivery boy may not', async () => {
    setIst(server, '2026-06-15T07:00');
    const tomorrow = await route(daysFromToday(1));
    const future = await server.gql(MARK_DELIVERED, { orderId: tomorrow.orderId }, { token: await admin.token() });
    expect(fieldError(future)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'orderId' });
    expect(await server.database.prisma.delivery.count({ where: { orderId: tomorrow.orderId } })).toBe(0);

    const today = await route(istToday(server));
    setIst(server, '2026-06-16T07:00');
    const late = await server.gql(MARK_DELIVERED, { orderId: today.orderId }, { token: await today.deliveryBoy.token() });
    expect(fieldError(late)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'orderId' });
    expect(await server.database.prisma.delivery.count({ where: { orderId: today.orderId } })).toBe(0);
    const recorded = await ok(server, admin, MARK_DELIVERED, { orderId: today.orderId });
    expect(recorded.markOrderDelivered).toMatchObject({ status: 'DELIVERED', customer: { activationStatus: 'ACTIVE' } });
    // Recorded for the order's delivery boy, at his rate, on the day it was recorded.
    expect(await server.database.prisma.delivery.findUniqueOrThrow({ where: { orderId: today.orderId } })).toMatchObject({
      deliveryBoyId: today.deliveryBoy.deliveryBoyId,
      ratePaise: 3_000,
    });

    // The order's own day is deliverable by its delivery boy, up to 23:59 IST.
    setIst(server, '2026-06-17T23:59');
    const onTime = await route(istToday(server));
    expect((await ok(server, onTime.deliveryBoy, MARK_DELIVERED, { orderId: onTime.orderId })).markOrderDelivered.status).toBe('DELIVERED');
  });
});

describe("a delivery boy reads today's orders only", () => {
  it('answers an order of another day exactly like a missing one, by id and through every nested path', async () => {
    setIst(server, '2026-06-20T07:00');
    const { deliveryBoy, customer, orderId } = await route(daysFromToday(1), { address: '7 Tomorrow Street' });
    const token = await deliveryBoy.token();

    // Tomorrow's order, today: invisible.
    const early = await server.gql(ORDER_BY_ID, { id: orderId }, { token });
    const missing = await server.gql(ORDER_BY_ID, { id: MISSING }, { token });
    expect(early.data).toEqual({ order: null });
    expect(shape(early)).toEqual(shape(missing));
    expect((await ok(server, deliveryBoy, EARNINGS)).me.deliveryBoy.todaysOrders).toEqual([]);
    // Through the customer he is assigned to: contact fields yes (SPEC §3), orders never.
    const nested = await server.gql(
      `query($id: ID!) { customer(id: $id) { name address orders { edges { node { id } } } } }`,
      { id: customer.customerId },
      { token },
    );
    expect(nested.errors?.map((error) => [error.path?.join('.'), error.extensions?.code])).toEqual([['customer.orders', 'FORBIDDEN']]);
    expect(JSON.stringify(nested.data)).not.toContain(orderId);
    // Nor through the answer of markOrderDelivered.
    const marked = await server.gql(
      `mutation($id: ID!) { markOrderDelivered(orderId: $id) { id customer { name phone address } } }`,
      { id: orderId },
      { token },
    );
    expect(marked.data).toBeNull();
    expect(fieldError(marked)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'orderId' });
    expect(JSON.stringify(marked)).not.toContain('Tomorrow Street');

    // On its day it is his, with the customer's contact fields, and he delivers it.
    setIst(server, '2026-06-21T07:00');
    const onTheDay = await ok(server, deliveryBoy, ORDER_BY_ID, { id: orderId });
    expect(onTheDay.order).toEqual({
      id: orderId,
      status: 'PLACED',
      deliveryDate: '2026-06-21',
      customer: { name: customer.name, phone: customer.phone, address: '7 Tomorrow Street' },
    });
    expect((await ok(server, deliveryBoy, EARNINGS)).me.deliveryBoy.todaysOrders).toEqual([{ id: orderId }]);
    await ok(server, deliveryBoy, MARK_DELIVERED, { orderId });

    // The next day the delivered order is gone from what he can read; his earnings for it stay.
    setIst(server, '2026-06-22T07:00');
    const later = await server.gql(ORDER_BY_ID, { id: orderId }, { token: await deliveryBoy.token() });
    expect(shape(later)).toEqual(shape(await server.gql(ORDER_BY_ID, { id: MISSING }, { token: await deliveryBoy.token() })));
    const again = await server.gql(MARK_DELIVERED, { orderId }, { token: await deliveryBoy.token() });
    expect(again.data).toBeNull();
    expect(fieldError(again)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'orderId' });
    const earnings = (await ok(server, deliveryBoy, EARNINGS)).me.deliveryBoy;
    expect(earnings).toEqual({
      today: { deliveries: 0, amount: { paise: 0 } },
      allTime: { deliveries: 1, amount: { paise: 3_000 } },
      unpaidBalance: { paise: 3_000 },
      todaysOrders: [],
    });
    // Staff and the customer still read it.
    expect((await ok(server, admin, ORDER_BY_ID, { id: orderId })).order.status).toBe('DELIVERED');
    expect((await ok(server, customer, ORDER_BY_ID, { id: orderId })).order.status).toBe('DELIVERED');
  });
});

describe('text that displays other than it reads', () => {
  const HIDDEN = [
    ['right-to-left override', `Fresh Milk ${RLO}kliM`],
    ['left-to-right embedding', 'Milk \u202aCurd'],
    ['first-strong isolate', 'Milk \u2068Curd\u2069'],
    ['right-to-left mark', 'Milk\u200f'],
    ['zero-width space', 'Mi\u200blk'],
    ['zero-width no-break space', 'Mi\ufefflk'],
    ['C1 control', 'Mi\u0085lk'],
  ] as const;

  it.each(HIDDEN)('refuses a product name with a %s, naming the field', async (_kind, name) => {
    const before = await server.database.prisma.product.count();
    const response = await server.gql(
      `mutation($input: CreateProductInput!) { createProduct(input: $input) { id } }`,
      {
        input: { supplierId: supplier.supplierId, name, unit: '500 ml', pricePaise: 3_000 },
      },
      { token: await admin.token() },
    );
    expect(fieldError(response)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.name' });
    expect(await server.database.prisma.product.count()).toBe(before);
  });

  it('refuses it in every other staff-visible text written through the API', async () => {
    const adminToken = await admin.token();
    const unit = await server.gql(
      `mutation($input: CreateProductInput!) { createProduct(input: $input) { id } }`,
      {
        input: { supplierId: supplier.supplierId, name: 'Paneer', unit: `${RLO}g 002`, pricePaise: 9_000 },
      },
      { token: adminToken },
    );
    expect(fieldError(unit)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.unit' });

    const reason = await server.gql(
      `mutation($p: ID!, $r: String) { requestPriceChange(productId: $p, newPricePaise: 3100, reason: $r) { id } }`,
      { p: milk, r: `cost ${RLO}esir` },
      { token: await supplier.token() },
    );
    expect(fieldError(reason)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'reason' });
    expect(await server.database.prisma.priceChangeRequest.count({ where: { productId: milk } })).toBe(0);
    const request = await ok(
      server,
      supplier,
      `mutation($p: ID!) { requestPriceChange(productId: $p, newPricePaise: 3100, reason: "milk costs more") { id } }`,
      { p: milk },
    );
    const note = await server.gql(
      `mutation($id: ID!, $n: String) { reviewPriceChange(id: $id, approve: true, note: $n) { status } }`,
      { id: request.requestPriceChange.id, n: `ok \u2066approved\u2069` },
      { token: adminToken },
    );
    expect(fieldError(note)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'note' });
    expect(await server.database.prisma.priceChangeRequest.findUniqueOrThrow({ where: { id: request.requestPriceChange.id } })).toMatchObject({
      status: 'PENDING',
    });

    const createCustomer = `mutation($input: CreateCustomerInput!) { createCustomer(input: $input) { id } }`;
    for (const [field, input] of [
      ['input.name', { name: `Asha ${RLO}ahS`, phone: uniquePhone() }],
      ['input.address', { name: 'Asha', phone: uniquePhone(), address: `12 \u200bMG Road` }],
      ['input.area', { name: 'Asha', phone: uniquePhone(), area: `Indiranagar\u200e` }],
    ] as const) {
      expect(fieldError(await server.gql(createCustomer, { input }, { token: adminToken }))).toMatchObject({ code: 'BAD_USER_INPUT', field });
      expect(await server.database.prisma.customer.count({ where: { phone: input.phone } })).toBe(0);
    }

    const staff = `mutation($input: CreateStaffUserInput!) { createStaffUser(input: $input) { id } }`;
    const staffEmail = uniqueEmail('bidi');
    expect(
      fieldError(
        await server.gql(
          staff,
          { input: { name: `Ravi ${RLO}ivaR`, email: staffEmail, phone: uniquePhone(), password: STRONG_PASSWORD, roles: ['MARKETING_STAFF'] } },
          { token: adminToken },
        ),
      ),
    ).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.name' });
    expect(
      fieldError(
        await server.gql(
          staff,
          {
            input: {
              name: 'Ravi',
              email: staffEmail,
              phone: uniquePhone(),
              password: STRONG_PASSWORD,
              roles: ['DELIVERY_BOY'],
              deliveryBoy: { area: `HSR ${RLO}tuoyaL` },
            },
          },
          { token: adminToken },
        ),
      ),
    ).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.deliveryBoy.area' });
    expect(
      fieldError(
        await server.gql(
          staff,
          {
            input: {
              name: 'Ravi',
              email: staffEmail,
              phone: uniquePhone(),
              password: STRONG_PASSWORD,
              roles: ['SUPPLIER'],
              supplier: { businessName: `Ravi ${RLO}yriaD` },
            },
          },
          { token: adminToken },
        ),
      ),
    ).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.supplier.businessName' });
    expect(await server.database.prisma.user.count({ where: { email: staffEmail } })).toBe(0);

    const registerEmail = uniqueEmail('bidi');
    const registered = await server.gql(REGISTER, { input: { name: `Meera\u202d`, email: registerEmail, password: STRONG_PASSWORD } });
    expect(fieldError(registered)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.name' });
    expect(await server.database.prisma.user.count({ where: { email: registerEmail } })).toBe(0);

    const customer = await makeActor(server, ['CUSTOMER']);
    const contact = await server.gql(
      `mutation($c: ID!, $n: String) { recordCustomerContact(customerId: $c, kind: CALL, note: $n) { id } }`,
      { c: customer.customerId, n: `called\n${RLO}sey` },
      { token: adminToken },
    );
    expect(fieldError(contact)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'note' });
    expect(await server.database.prisma.customerContact.count({ where: { customerId: customer.customerId! } })).toBe(0);
  });

  it('keeps the joiners Indian scripts spell with, and line breaks in contact notes', async () => {
    // Devanagari shows a half form with ZWJ and keeps the conjunct apart with ZWNJ.
    const name = 'क्\u200dष दूध श्री\u200cमती';
    const data = await ok(server, admin, `mutation($input: CreateProductInput!) { createProduct(input: $input) { name } }`, {
      input: { supplierId: supplier.supplierId, name, unit: '1 लीटर', pricePaise: 6_400 },
    });
    expect(data.createProduct.name).toBe(name);
    const customer = await makeActor(server, ['CUSTOMER']);
    await ok(server, admin, `mutation($c: ID!, $n: String) { recordCustomerContact(customerId: $c, kind: CALL, note: $n) { id } }`, {
      c: customer.customerId,
      n: 'called twice\nwill order on Monday',
    });
    expect(await server.database.prisma.customerContact.count({ where: { customerId: customer.customerId! } })).toBe(1);
  });
});

describe('payout dates', () => {
  it('refuses a payout dated in 1970, more than 90 days back or before his first delivery, naming paidAt', async () => {
    setIst(server, '2026-06-25T07:00');
    const { deliveryBoy, orderId } = await route(istToday(server));
    await ok(server, deliveryBoy, MARK_DELIVERED, { orderId });
    setIst(server, '2026-06-25T20:00');
    const token = await admin.token();
    for (const paidAt of ['1970-01-01T00:00:00.000Z', '2026-03-27T14:29:59.999Z', '2026-06-25T01:29:59.999Z']) {
      const refused = await server.gql(RECORD_PAYOUT, { d: deliveryBoy.deliveryBoyId, amount: 1_000, paidAt }, { token });
      expect(fieldError(refused)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'paidAt' });
    }
    expect(await server.database.prisma.payout.count({ where: { deliveryBoyId: deliveryBoy.deliveryBoyId! } })).toBe(0);
    // The delivery was at 07:00 IST (01:30 UTC): from that instant on, the date is his to be paid for.
    const paid = await ok(server, admin, RECORD_PAYOUT, { d: deliveryBoy.deliveryBoyId, amount: 1_000, paidAt: '2026-06-25T01:30:00.000Z' });
    expect(paid.recordPayout.paidAt).toBe('2026-06-25T01:30:00.000Z');
    expect(await server.database.prisma.payout.count({ where: { deliveryBoyId: deliveryBoy.deliveryBoyId! } })).toBe(1);
  });

  it('accepts a payout dated exactly 90 days back', async () => {
    setIst(server, '2026-03-01T07:00');
    const { deliveryBoy, orderId } = await route(istToday(server));
    await ok(server, deliveryBoy, MARK_DELIVERED, { orderId });
    setIst(server, '2026-05-30T07:00');
    const paidAt = new Date(server.clock.now().getTime() - 90 * 86_400_000).toISOString();
    expect((await ok(server, admin, RECORD_PAYOUT, { d: deliveryBoy.deliveryBoyId, amount: 3_000, paidAt })).recordPayout.paidAt).toBe(paidAt);
  });
});
