// Ownership, assignment and masking of SPEC §3 on the commerce types: every way in is tried.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';
import { assign, createProduct, makeActor, ok, placeOrder, type Actor } from '../support/testkit/index.js';

let server: TestServer;
let admin: Actor;
let supplier: Actor;
let milk: string;
let alice: Actor;
let bob: Actor;
let aliceOrder: string;
let aliceSubscription: string;
let deliveryBoy: Actor;

const codes = (response: { errors?: { extensions?: Record<string, any>; path?: unknown[] }[] }) =>
  (response.errors ?? []).map((error) => [error.path?.join('.'), error.extensions?.code]);

beforeAll(async () => {
  server = await startTestServer();
  admin = await makeActor(server, ['ADMIN']);
  supplier = await makeActor(server, ['SUPPLIER']);
  milk = await createProduct(server, admin, supplier.supplierId!, 3_000);
  alice = await makeActor(server, ['CUSTOMER'], { address: '1 Alice Road' });
  bob = await makeActor(server, ['CUSTOMER']);
  deliveryBoy = await makeActor(server, ['DELIVERY_BOY']);
  await assign(server, admin, alice.customerId!, deliveryBoy.deliveryBoyId!);
  aliceOrder = await placeOrder(server, alice, [{ productId: milk, quantity: 1 }]);
  const subscription = await ok(server, alice, `mutation($input: CreateSubscriptionInput!) { createSubscription(input: $input) { id } }`, {
    input: { productId: milk, quantity: 1, pattern: 'DAILY', shift: 'MORNING', startDate: '2026-06-16' },
  });
  aliceSubscription = subscription.createSubscription.id;
});
afterAll(async () => server?.close());

describe('a customer', () => {
  it("cannot read another customer's order or subscription by id, which answers like a missing one", async () => {
    const query = `query($order: ID!, $subscription: ID!) { order(id: $order) { id total { paise } } subscription(id: $subscription) { id } }`;
    const own = await ok(server, alice, query, { order: aliceOrder, subscription: aliceSubscription });
    expect(own).toEqual({ order: { id: aliceOrder, total: { paise: 3_000 } }, subscription: { id: aliceSubscription } });
    const other = await server.gql(query, { order: aliceOrder, subscription: aliceSubscription }, { token: await bob.token() });
    const missing = await server.gql(
      query,
      { order: '01900000-0000-7000-8000-000000000000', subscription: '01900000-0000-7000-8000-000000000001' },
      { token: await bob.token() },
    );
    expect(other).toMatchObject({ data: { order: null, subscription: null } });
    expect(other.errors).toBeUndefined();
    expect(missing.data).toEqual(other.data);
  });

  it("cannot reach other customers' orders through nested paths", async () => {
    const bobOrder = await placeOrder(server, bob, [{ productId: milk, quantity: 2 }]);
    // order → customer → orders: only ever the caller's own orders.
    const own = await ok(server, bob, `query($id: ID!) { order(id: $id) { customer { id orders(first: 10) { totalCount edges { node { id } } } } } }`, {
      id: bobOrder,
    });
    expect(own.order.customer).toEqual({ id: bob.customerId, orders: { totalCount: 1, edges: [{ node: { id: bobOrder } }] } });
    // product → supplier → orders: the supplier's orders are its own business.
    const viaProduct = await server.gql(
      `{ products(first: 100) { edges { node { id supplier { id orders(first: 10) { totalCount } } } } } }`,
      {},
      { token: await bob.token() },
    );
    expect(codes(viaProduct)).toContainEqual([expect.stringMatching(/^products\.edges\.\d+\.node\.supplier\.orders$/), 'FORBIDDEN']);
    expect(JSON.stringify(viaProduct.data)).not.toContain('totalCount');
    // customer → deliveryBoy → todaysOrders: a route belongs to its delivery boy.
    const viaDeliveryBoy = await server.gql(`{ me { customer { deliveryBoy { id todaysOrders { id } } } } }`, {}, { token: await alice.token() });
    expect(codes(viaDeliveryBoy)).toEqual([['me.customer.deliveryBoy.todaysOrders', 'FORBIDDEN']]);
  });

  it('sees its own contact fields and activation fields, and nobody else can list customers', async () => {
    const me = await ok(server, alice, `{ me { customer { id phone address activationStatus firstOrderAt deliveryBoy { id name } } } }`);
    expect(me.me.customer).toMatchObject({
      id: alice.customerId,
      phone: alice.phone,
      address: '1 Alice Road',
      activationStatus: 'ONBOARDED',
      deliveryBoy: { id: deliveryBoy.deliveryBoyId, name: deliveryBoy.name },
    });
    const list = await server.gql(`{ customers(first: 5) { totalCount } }`, {}, { token: await alice.token() });
    expect(codes(list)).toEqual([['customers', 'FORBIDDEN']]);
  });
});

describe('a delivery boy', () => {
  it('reads the contact fields of customers assigned to him, and of nobody else', async () => {
    const carol = await makeActor(server, ['CUSTOMER'], { address: '7 Carol Cross' });
    await assign(server, admin, carol.customerId!, deliveryBoy.deliveryBoyId!);
    const carolOrder = await placeOrder(server, carol, [{ productId: milk, quantity: 1 }]);
    const bobOrder = await placeOrder(server, bob, [{ productId: milk, quantity: 1 }]);
    const route = `{ me { deliveryBoy { todaysOrders { id customer { name phone address } } } } }`;
    const before = await ok(server, deliveryBoy, route);
    expect(before.me.deliveryBoy.todaysOrders).toContainEqual({ id: carolOrder, customer: { name: carol.name, phone: carol.phone, address: '7 Carol Cross' } });
    expect(JSON.stringify(before)).not.toContain(bob.phone);

    // Carol moves to another delivery boy: he keeps today's order and what he needs to deliver it, but
    // she leaves his customer list; the new delivery boy lists her.
    const colleague = await makeActor(server, ['DELIVERY_BOY']);
    await assign(server, admin, carol.customerId!, colleague.deliveryBoyId!);
    const after = await ok(server, deliveryBoy, route);
    expect(after.me.deliveryBoy.todaysOrders).toContainEqual({ id: carolOrder, customer: { name: carol.name, phone: carol.phone, address: '7 Carol Cross' } });
    const customers = await ok(server, deliveryBoy, `{ customers(first: 100) { totalCount edges { node { id phone } } } }`);
    expect(customers.customers).toEqual({ totalCount: 1, edges: [{ node: { id: alice.customerId, phone: alice.phone } }] });
    const colleagues = await ok(server, colleague, `{ customers(first: 100) { edges { node { id phone address } } } }`);
    expect(colleagues.customers.edges).toEqual([{ node: { id: carol.customerId, phone: carol.phone, address: '7 Carol Cross' } }]);

    // Someone else's order, and through it the customer, is not his to see.
    const foreign = await server.gql(`query($id: ID!) { order(id: $id) { customer { phone } } }`, { id: bobOrder }, { token: await colleague.token() });
    expect(foreign).toMatchObject({ data: { order: null } });
  });

  it('reads nothing else about his customers: not their history, orders or user', async () => {
    for (const field of ['signupAt', 'lastOrderAt', 'churnedAt', 'orders(first: 5) { totalCount }', 'subscriptions { totalCount }', 'user { id }']) {
      const response = await server.gql(`{ me { deliveryBoy { todaysOrders { customer { id ${field} } } } } }`, {}, { token: await deliveryBoy.token() });
      const name = field.split(/[ (]/)[0];
      expect(codes(response)[0], field).toEqual([
        expect.stringMatching(new RegExp(`^me\\.deliveryBoy\\.todaysOrders\\.\\d+\\.customer\\.${name}$`)),
        'FORBIDDEN',
      ]);
    }
  });

  it('filters only within his own customers, on fields he may read', async () => {
    // He reads the activation status of his customers (the delivery app shows it after a delivery).
    const byStatus = await ok(
      server,
      deliveryBoy,
      `{ customers(first: 5, filter: { activationStatus: ONBOARDED }) { edges { node { id activationStatus } } } }`,
    );
    expect(byStatus.customers.edges.every((edge: { node: { activationStatus: string } }) => edge.node.activationStatus === 'ONBOARDED')).toBe(true);
    const all = await ok(server, deliveryBoy, `{ customers(first: 100) { totalCount } }`);
    const everyone = await ok(server, admin, `{ customers(first: 100) { totalCount } }`);
    expect(all.customers.totalCount).toBeLessThan(everyone.customers.totalCount);
    const byPhone = await ok(server, deliveryBoy, `query($phone: String) { customers(first: 5, filter: { phone: $phone }) { totalCount } }`, {
      phone: alice.phone,
    });
    expect(byPhone.customers.totalCount).toBe(1);
  });
});

describe('staff and suppliers', () => {
  it('lets marketing staff read and filter customers with their contact fields, but not supplier earnings', async () => {
    const marketing = await makeActor(server, ['MARKETING_STAFF']);
    const customers = await ok(
      server,
      marketing,
      `query($phone: String) { customers(first: 5, filter: { phone: $phone }) { edges { node { id phone address activationStatus } } } }`,
      { phone: alice.phone },
    );
    expect(customers.customers.edges).toEqual([{ node: { id: alice.customerId, phone: alice.phone, address: '1 Alice Road', activationStatus: 'ONBOARDED' } }]);
    const earnings = await server.gql(
      `{ products(first: 100) { edges { node { supplier { earnings(period: MONTH) { net { paise } } } } } } }`,
      {},
      { token: await marketing.token() },
    );
    expect(codes(earnings).length).toBeGreaterThan(0);
    expect(codes(earnings).every(([path, code]) => /supplier\.earnings$/.test(String(path)) && code === 'FORBIDDEN')).toBe(true);
  });

  it("shows a supplier only its own products, and no customer's contact fields by any path", async () => {
    const rival = await makeActor(server, ['SUPPLIER']);
    const rivalProduct = await createProduct(server, admin, rival.supplierId!, 1_000);
    const list = await ok(server, supplier, `{ products(first: 100) { totalCount edges { node { id } } } }`);
    expect(list.products).toEqual({ totalCount: 1, edges: [{ node: { id: milk } }] });
    const byOrder = await server.gql(`query($id: ID!) { order(id: $id) { id customer { phone } } }`, { id: aliceOrder }, { token: await supplier.token() });
    expect(codes(byOrder)).toEqual([['order', 'FORBIDDEN']]);
    const rivalsOrders = await server.gql(`{ me { supplier { orders(first: 5) { totalCount } } } }`, {}, { token: await rival.token() });
    expect(rivalsOrders.data.me.supplier.orders.totalCount).toBe(0);
    expect(rivalProduct).not.toBe(milk);
  });

  it('answers UNAUTHENTICATED without a token', async () => {
    const response = await server.gql(`{ products(first: 1) { totalCount } }`);
    expect(response.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});
