// No N+1: the contract's Me and Customers run a number of SQL statements that does not grow
// with the list sizes. Statements are counted at the driver for each request (x-sql-statements).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IDE_OPERATIONS, MONEY_PARTS } from '../../src/server/ide/default-tabs.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { assign, createProduct, makeActor, ok, placeOrder, type Actor } from '../support/testkit/index.js';

// Exact counts, at any list size: Me 2 (the session check brings the user, its facets and its lock; then
// one statement for every read below them: each page with its count, the orders page with its items and
// their products, the delivery boy, the four earnings periods, the payouts' total and the last payout),
// Customers(first: 100) 3 (the page with its count, then the users and delivery boys). With 20 orders of 3
// items, one query per order or item would add at least 20; a read leaving its wave adds one, and is
// caught too.
const ME_STATEMENTS = 2;
const CUSTOMERS_STATEMENTS = 3;
// The contract's Me of a delivery boy: the session check, then his earnings, payouts' total and last
// payout in one statement; as a customer too, the customer's two pages join that statement.
const DELIVERY_BOY_ME_STATEMENTS = 2;
const DELIVERY_BOY_CUSTOMER_ME_STATEMENTS = 2;

// The contract's Me, exactly as the IDE and the apps send it.
const ME = `${IDE_OPERATIONS.Me}\n${MONEY_PARTS}`;

const CUSTOMERS = `query Customers($first: Int, $after: String, $filter: CustomerFilter) {
  customers(first: $first, after: $after, filter: $filter) { totalCount pageInfo { hasNextPage endCursor }
    edges { node { id name phone area activationStatus lastOrderAt user { id } deliveryBoy { id name } } } } }`;

let server: TestServer;
let admin: Actor;
let supplier: Actor;
let products: string[];

beforeAll(async () => {
  server = await startTestServer();
  admin = await makeActor(server, ['ADMIN']);
  supplier = await makeActor(server, ['SUPPLIER']);
  products = [];
  for (let index = 0; index < 6; index += 1) products.push(await createProduct(server, admin, supplier.supplierId!, 1_000 + index));
});
afterAll(async () => server?.close());

/** A user with all three facets, `orders` orders of three items each and `orders` subscriptions. */
async function busyUser(orders: number) {
  const user = await makeActor(server, ['CUSTOMER', 'DELIVERY_BOY', 'SUPPLIER']);
  const deliveryBoy = await makeActor(server, ['DELIVERY_BOY']);
  await assign(server, admin, user.customerId!, deliveryBoy.deliveryBoyId!);
  for (let index = 0; index < orders; index += 1) {
    server.clock.advance(1_000);
    const [a, b, c] = [products[index % 6], products[(index + 1) % 6], products[(index + 2) % 6]];
    await placeOrder(server, user, [
      { productId: a, quantity: 1 },
      { productId: b, quantity: 2 },
      { productId: c, quantity: 3 },
    ]);
    await ok(server, user, `mutation($input: CreateSubscriptionInput!) { createSubscription(input: $input) { id } }`, {
      input: { productId: a, quantity: 1, pattern: 'DAILY', shift: 'MORNING', startDate: '2026-06-20' },
    });
  }
  await server.database.prisma.delivery.create({
    data: {
      orderId: (await server.database.prisma.order.findFirstOrThrow({ where: { customerId: user.customerId! } })).id,
      deliveryBoyId: user.deliveryBoyId,
      deliveredAt: server.clock.now(),
      ratePaise: 3_000,
    },
  });
  await server.database.prisma.payout.create({ data: { deliveryBoyId: user.deliveryBoyId!, amountPaise: 1_000, paidAt: server.clock.now() } });
  return user;
}

describe('statements per request', () => {
  it(`Me with every facet list runs ${ME_STATEMENTS} statements, the same for 2 and for 20 orders`, async () => {
    const small = await busyUser(2);
    const large = await busyUser(20);
    const smallResponse = await server.gql(ME, {}, { token: await small.token() });
    const largeResponse = await server.gql(ME, {}, { token: await large.token() });
    expect(smallResponse.errors).toBeUndefined();
    expect(largeResponse.errors).toBeUndefined();
    const customer = largeResponse.data.me.customer;
    expect(customer.orders.totalCount).toBe(20);
    expect(customer.orders.edges).toHaveLength(20);
    expect(customer.orders.edges.every((edge: any) => edge.node.items.length === 3 && edge.node.items.every((item: any) => item.product.name))).toBe(true);
    expect(customer.subscriptions.edges).toHaveLength(20);
    expect(largeResponse.data.me.deliveryBoy).toMatchObject({
      allTime: { deliveries: 1 },
      unpaidBalance: { paise: 2_000 },
      lastPayout: { amount: { paise: 1_000 } },
    });
    expect(largeResponse.statements).toBe(smallResponse.statements);
    expect(smallResponse.statements).toBe(ME_STATEMENTS);
  });

  it('Me as a delivery boy, and as a delivery boy who is also a customer: every earnings period and both pages in one statement', async () => {
    const deliveryBoy = await makeActor(server, ['DELIVERY_BOY']);
    const both = await makeActor(server, ['DELIVERY_BOY', 'CUSTOMER']);
    for (const actor of [deliveryBoy, both]) {
      await server.database.prisma.payout.create({ data: { deliveryBoyId: actor.deliveryBoyId!, amountPaise: 500, paidAt: server.clock.now() } });
    }
    const alone = await server.gql(ME, {}, { token: await deliveryBoy.token() });
    const withCustomer = await server.gql(ME, {}, { token: await both.token() });
    expect(alone.errors).toBeUndefined();
    expect(withCustomer.errors).toBeUndefined();
    expect(alone.data.me.deliveryBoy).toMatchObject({
      today: { deliveries: 0 },
      allTime: { deliveries: 0 },
      unpaidBalance: { paise: -500 },
      lastPayout: { amount: { paise: 500 } },
    });
    expect(alone.statements).toBe(DELIVERY_BOY_ME_STATEMENTS);
    expect(withCustomer.statements).toBe(DELIVERY_BOY_CUSTOMER_ME_STATEMENTS);
  });

  it(`Customers(first: 100) with user and delivery boy runs ${CUSTOMERS_STATEMENTS} statements, the same for 5 and for 100 customers`, async () => {
    const small = `Small ${Date.now()}`;
    const large = `Large ${Date.now()}`;
    for (const [area, count] of [
      [small, 5],
      [large, 100],
    ] as const) {
      for (let index = 0; index < count; index += 1) {
        const customer = await makeActor(server, ['CUSTOMER'], { area });
        // A delivery boy per customer, so that the delivery boys' users are a list too.
        const deliveryBoy = await makeActor(server, ['DELIVERY_BOY']);
        await server.database.prisma.customer.update({ where: { id: customer.customerId! }, data: { deliveryBoyId: deliveryBoy.deliveryBoyId } });
      }
    }
    const smallResponse = await server.gql(CUSTOMERS, { first: 100, filter: { area: small } }, { token: await admin.token() });
    const largeResponse = await server.gql(CUSTOMERS, { first: 100, filter: { area: large } }, { token: await admin.token() });
    expect(smallResponse.errors).toBeUndefined();
    expect(largeResponse.errors).toBeUndefined();
    expect(largeResponse.data.customers.totalCount).toBe(100);
    expect(largeResponse.data.customers.edges).toHaveLength(100);
    expect(largeResponse.data.customers.edges.every((edge: any) => edge.node.user.id && edge.node.deliveryBoy.name.startsWith('DELIVERY_BOY'))).toBe(true);
    expect(largeResponse.statements).toBe(smallResponse.statements);
    expect(largeResponse.statements).toBe(CUSTOMERS_STATEMENTS);
  });
});
