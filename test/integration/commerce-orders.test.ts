// Catalogue, customers, subscriptions and orders through the real server (SPEC §6, §8).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assign, createProduct, istToday, makeActor, ok, PLACE_ORDER, placeOrder, uniquePhone, type Actor } from '../support/testkit/index.js';
import { startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
let admin: Actor;
let supplier: Actor;

beforeAll(async () => {
  server = await startTestServer();
  admin = await makeActor(server, ['ADMIN']);
  supplier = await makeActor(server, ['SUPPLIER']);
});
afterAll(async () => server?.close());

describe('placing an order', () => {
  it('copies unit prices and suppliers into its items and totals exactly in paise', async () => {
    const otherSupplier = await makeActor(server, ['SUPPLIER']);
    const milk = await createProduct(server, admin, supplier.supplierId!, 2_850); // ₹28.50
    const paneer = await createProduct(server, admin, otherSupplier.supplierId!, 9_999); // ₹99.99
    const customer = await makeActor(server, ['CUSTOMER']);
    const response = await ok(server, customer, PLACE_ORDER, {
      input: {
        items: [
          { productId: milk, quantity: 3 },
          { productId: paneer, quantity: 7 },
        ],
        deliveryDate: istToday(server),
      },
    });
    expect(response.placeOrder).toMatchObject({
      status: 'PLACED',
      total: { paise: 3 * 2_850 + 7 * 9_999, formatted: '₹785.43' },
      customer: { id: customer.customerId, activationStatus: 'ONBOARDED', firstOrderAt: server.clock.now().toISOString() },
    });
    const items = await server.database.prisma.orderItem.findMany({ where: { orderId: response.placeOrder.id }, orderBy: { unitPricePaise: 'asc' } });
    expect(
      items.map(({ productId, supplierId, quantity, unitPricePaise, lineTotalPaise }) => ({ productId, supplierId, quantity, unitPricePaise, lineTotalPaise })),
    ).toEqual([
      { productId: milk, supplierId: supplier.supplierId, quantity: 3, unitPricePaise: 2_850, lineTotalPaise: 8_550 },
      { productId: paneer, supplierId: otherSupplier.supplierId, quantity: 7, unitPricePaise: 9_999, lineTotalPaise: 69_993 },
    ]);
  });

  it('gives the order the delivery boy assigned to the customer at that moment', async () => {
    const milk = await createProduct(server, admin, supplier.supplierId!, 3_000);
    const customer = await makeActor(server, ['CUSTOMER']);
    const first = await makeActor(server, ['DELIVERY_BOY']);
    const second = await makeActor(server, ['DELIVERY_BOY']);
    await assign(server, admin, customer.customerId!, first.deliveryBoyId!);
    const before = await placeOrder(server, customer, [{ productId: milk, quantity: 1 }]);
    await assign(server, admin, customer.customerId!, second.deliveryBoyId!);
    const after = await placeOrder(server, customer, [{ productId: milk, quantity: 1 }]);
    const orders = await server.database.prisma.order.findMany({ where: { id: { in: [before, after] } } });
    expect(orders.find((order) => order.id === before)?.deliveryBoyId).toBe(first.deliveryBoyId);
    expect(orders.find((order) => order.id === after)?.deliveryBoyId).toBe(second.deliveryBoyId);
  });

  it('refuses invalid quantities, unknown or inactive products and past delivery dates as BAD_USER_INPUT', async () => {
    const milk = await createProduct(server, admin, supplier.supplierId!, 3_000);
    const retired = await createProduct(server, admin, supplier.supplierId!, 3_000);
    await server.database.prisma.product.update({ where: { id: retired }, data: { active: false } });
    const customer = await makeActor(server, ['CUSTOMER']);
    const today = istToday(server);
    const cases: [unknown, string][] = [
      [{ items: [{ productId: milk, quantity: 0 }], deliveryDate: today }, 'input.items[0].quantity'],
      [{ items: [{ productId: milk, quantity: -2 }], deliveryDate: today }, 'input.items[0].quantity'],
      [{ items: [{ productId: milk, quantity: 101 }], deliveryDate: today }, 'input.items[0].quantity'],
      [{ items: [], deliveryDate: today }, 'input.items'],
      [{ items: [{ productId: '01900000-0000-7000-8000-000000000000', quantity: 1 }], deliveryDate: today }, 'input.items[0].productId'],
      [{ items: [{ productId: 'not-an-id', quantity: 1 }], deliveryDate: today }, 'input.items[0].productId'],
      [
        {
          items: [
            { productId: milk, quantity: 1 },
            { productId: retired, quantity: 1 },
          ],
          deliveryDate: today,
        },
        'input.items[1].productId',
      ],
      [
        {
          items: [
            { productId: milk, quantity: 1 },
            { productId: milk, quantity: 1 },
          ],
          deliveryDate: today,
        },
        'input.items[1].productId',
      ],
      [{ items: [{ productId: milk, quantity: 1 }], deliveryDate: '2026-06-14' }, 'input.deliveryDate'],
    ];
    for (const [input, field] of cases) {
      const response = await server.gql(PLACE_ORDER, { input }, { token: await customer.token() });
      expect(response.errors?.[0]?.extensions, JSON.stringify(input)).toMatchObject({ code: 'BAD_USER_INPUT', field });
    }
    expect(await server.database.prisma.order.count({ where: { customerId: customer.customerId! } })).toBe(0);
  });

  it("refuses another customer's subscription on an order without saying whether it exists", async () => {
    const milk = await createProduct(server, admin, supplier.supplierId!, 3_000);
    const owner = await makeActor(server, ['CUSTOMER']);
    const stranger = await makeActor(server, ['CUSTOMER']);
    const subscription = await ok(server, owner, `mutation($input: CreateSubscriptionInput!) { createSubscription(input: $input) { id } }`, {
      input: { productId: milk, quantity: 1, pattern: 'DAILY', shift: 'MORNING', startDate: istToday(server) },
    });
    const response = await server.gql(
      PLACE_ORDER,
      { input: { items: [{ productId: milk, quantity: 1 }], deliveryDate: istToday(server), subscriptionId: subscription.createSubscription.id } },
      { token: await stranger.token() },
    );
    expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.subscriptionId' });
  });

  it('keeps the old price on existing orders when the product price changes', async () => {
    const milk = await createProduct(server, admin, supplier.supplierId!, 3_000);
    const customer = await makeActor(server, ['CUSTOMER']);
    const orderId = await placeOrder(server, customer, [{ productId: milk, quantity: 2 }]);
    await server.database.prisma.product.update({ where: { id: milk }, data: { pricePaise: 4_000 } });
    const me = await ok(
      server,
      customer,
      `{ me { customer { orders(first: 5) { edges { node { id total { paise } items { unitPrice { paise } lineTotal { paise } product { price { paise } } } } } } } } }`,
    );
    const order = me.me.customer.orders.edges.find((edge: any) => edge.node.id === orderId).node;
    expect(order).toMatchObject({
      total: { paise: 6_000 },
      items: [{ unitPrice: { paise: 3_000 }, lineTotal: { paise: 6_000 }, product: { price: { paise: 4_000 } } }],
    });
  });
});

describe('catalogue and customers', () => {
  it('lets admins create products with a validated price, and customers list only active ones', async () => {
    const bad = await server.gql(
      `mutation($input: CreateProductInput!) { createProduct(input: $input) { id } }`,
      {
        input: { supplierId: supplier.supplierId, name: 'Curd', unit: '1 kg', pricePaise: 0 },
      },
      { token: await admin.token() },
    );
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.pricePaise' });
    const active = await createProduct(server, admin, supplier.supplierId!, 5_500, 'Curd 1 kg');
    const retired = await createProduct(server, admin, supplier.supplierId!, 5_500, 'Old curd');
    await server.database.prisma.product.update({ where: { id: retired }, data: { active: false } });
    const customer = await makeActor(server, ['CUSTOMER']);
    const list = await ok(
      server,
      customer,
      `query Products($first: Int) { products(first: $first) { totalCount edges { node { id name active price { paise formatted } supplier { id businessName } } } } }`,
      { first: 100 },
    );
    const ids = list.products.edges.map((edge: any) => edge.node.id);
    expect(ids).toContain(active);
    expect(ids).not.toContain(retired);
    expect(list.products.edges.find((edge: any) => edge.node.id === active).node).toMatchObject({
      price: { paise: 5_500, formatted: '₹55.00' },
      supplier: { id: supplier.supplierId },
    });
    const forbidden = await server.gql(
      `mutation($input: CreateProductInput!) { createProduct(input: $input) { id } }`,
      {
        input: { supplierId: supplier.supplierId, name: 'Curd', unit: '1 kg', pricePaise: 100 },
      },
      { token: await customer.token() },
    );
    expect(forbidden.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('lets marketing staff sign a customer up: a login-less user, NEW, welcome queued; a taken phone is CONFLICT', async () => {
    const marketing = await makeActor(server, ['MARKETING_STAFF']);
    const phone = uniquePhone();
    const mutation = `mutation CreateCustomer($input: CreateCustomerInput!) { createCustomer(input: $input) { id activationStatus user { id } } }`;
    const created = await ok(server, marketing, mutation, {
      input: { name: 'Asha Rao', phone: phone.replace('+91', '0'), address: '12 Temple Street', area: 'Jayanagar' },
    });
    expect(created.createCustomer.activationStatus).toBe('NEW');
    const user = await server.database.prisma.user.findUniqueOrThrow({ where: { id: created.createCustomer.user.id } });
    expect(user).toMatchObject({ phone, roles: ['CUSTOMER'], passwordHash: null });
    const customer = await server.database.prisma.customer.findUniqueOrThrow({ where: { id: created.createCustomer.id } });
    expect(customer).toMatchObject({ signedUpById: marketing.userId, area: 'Jayanagar' });
    expect(await server.database.prisma.outboxMessage.count({ where: { customerId: customer.id, template: 'WELCOME' } })).toBe(1);
    const again = await server.gql(mutation, { input: { name: 'Someone Else', phone } }, { token: await marketing.token() });
    expect(again.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    const badPhone = await server.gql(mutation, { input: { name: 'Someone', phone: '12345' } }, { token: await marketing.token() });
    expect(badPhone.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.phone' });
  });

  it('creates subscriptions for the caller or, for staff, the named customer, and checks weekly days', async () => {
    const milk = await createProduct(server, admin, supplier.supplierId!, 3_000);
    const customer = await makeActor(server, ['CUSTOMER']);
    const deliveryBoy = await makeActor(server, ['DELIVERY_BOY']);
    await assign(server, admin, customer.customerId!, deliveryBoy.deliveryBoyId!);
    const mutation = `mutation CreateSubscription($input: CreateSubscriptionInput!) { createSubscription(input: $input) { id status customer { id } product { id } } }`;
    const own = await ok(server, customer, mutation, {
      input: { productId: milk, quantity: 2, pattern: 'WEEKLY', weekdays: [7, 1, 3], shift: 'MORNING', startDate: istToday(server) },
    });
    expect(own.createSubscription).toMatchObject({ status: 'ACTIVE', customer: { id: customer.customerId }, product: { id: milk } });
    const stored = await server.database.prisma.subscription.findUniqueOrThrow({ where: { id: own.createSubscription.id } });
    expect(stored).toMatchObject({ weekdays: [1, 3, 7], deliveryBoyId: deliveryBoy.deliveryBoyId });
    const noDays = await server.gql(
      mutation,
      { input: { productId: milk, quantity: 1, pattern: 'WEEKLY', shift: 'EVENING', startDate: istToday(server) } },
      { token: await customer.token() },
    );
    expect(noDays.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.weekdays' });
    const other = await makeActor(server, ['CUSTOMER']);
    const forOther = await server.gql(
      mutation,
      { input: { customerId: other.customerId, productId: milk, quantity: 1, pattern: 'DAILY', shift: 'MORNING', startDate: istToday(server) } },
      { token: await customer.token() },
    );
    expect(forOther.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const marketing = await makeActor(server, ['MARKETING_STAFF']);
    const byStaff = await ok(server, marketing, mutation, {
      input: { customerId: other.customerId, productId: milk, quantity: 1, pattern: 'ALTERNATE_DAYS', shift: 'EVENING', startDate: istToday(server) },
    });
    expect(byStaff.createSubscription.customer.id).toBe(other.customerId);
  });
});

describe('connections', () => {
  const ORDERS_PAGE = `query($first: Int, $after: String) { me { customer { orders(first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id } } } } } }`;

  it('pages with stable cursors under inserts, counts correctly, and refuses first over 100', async () => {
    const milk = await createProduct(server, admin, supplier.supplierId!, 3_000);
    const customer = await makeActor(server, ['CUSTOMER']);
    const placed: string[] = [];
    for (let index = 0; index < 5; index += 1) {
      server.clock.advance(60_000);
      placed.push(await placeOrder(server, customer, [{ productId: milk, quantity: 1 }]));
    }
    const newestFirst = [...placed].reverse();
    const first = await ok(server, customer, ORDERS_PAGE, { first: 2 });
    const page1 = first.me.customer.orders;
    expect(page1.totalCount).toBe(5);
    expect(page1.edges.map((edge: any) => edge.node.id)).toEqual(newestFirst.slice(0, 2));
    expect(page1.pageInfo.hasNextPage).toBe(true);

    // A new order arrives between pages: it goes to the front and shifts nothing after the cursor.
    server.clock.advance(60_000);
    await placeOrder(server, customer, [{ productId: milk, quantity: 1 }]);
    const second = await ok(server, customer, ORDERS_PAGE, { first: 2, after: page1.pageInfo.endCursor });
    expect(second.me.customer.orders.totalCount).toBe(6);
    expect(second.me.customer.orders.edges.map((edge: any) => edge.node.id)).toEqual(newestFirst.slice(2, 4));
    const third = await ok(server, customer, ORDERS_PAGE, { first: 2, after: second.me.customer.orders.pageInfo.endCursor });
    expect(third.me.customer.orders.edges.map((edge: any) => edge.node.id)).toEqual(newestFirst.slice(4));
    expect(third.me.customer.orders.pageInfo.hasNextPage).toBe(false);

    const lists: [string, Actor][] = [
      [ORDERS_PAGE, customer],
      [`query($first: Int) { products(first: $first) { totalCount } }`, admin],
      [`query($first: Int) { customers(first: $first) { totalCount } }`, admin],
    ];
    for (const [query, actor] of lists) {
      const tooMany = await server.gql(query, { first: 101 }, { token: await actor.token() });
      expect(tooMany.errors?.[0]?.extensions, query).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
    }
    const badCursor = await server.gql(ORDERS_PAGE, { first: 2, after: 'bm90LWEtY3Vyc29y' }, { token: await customer.token() });
    expect(badCursor.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
  });

  it('pages customers for staff with the contract operation and a stable totalCount', async () => {
    const marketing = await makeActor(server, ['MARKETING_STAFF']);
    const area = `Area ${Date.now()}`;
    const created = [];
    for (let index = 0; index < 3; index += 1) created.push(await makeActor(server, ['CUSTOMER'], { area }));
    const query = `query Customers($first: Int, $after: String, $filter: CustomerFilter) { customers(first: $first, after: $after, filter: $filter) {
      totalCount pageInfo { hasNextPage endCursor } edges { node { id name phone area activationStatus lastOrderAt user { id } deliveryBoy { id name } } } } }`;
    const page1 = await ok(server, marketing, query, { first: 2, filter: { area } });
    expect(page1.customers.totalCount).toBe(3);
    await makeActor(server, ['CUSTOMER'], { area });
    const page2 = await ok(server, marketing, query, { first: 2, after: page1.customers.pageInfo.endCursor, filter: { area } });
    expect([...page1.customers.edges, ...page2.customers.edges].map((edge: any) => edge.node.id).slice(0, 3)).toEqual(created.map((actor) => actor.customerId));
    expect(page2.customers.totalCount).toBe(4);
    expect(page1.customers.edges[0].node).toMatchObject({ phone: created[0].phone, user: { id: created[0].userId }, deliveryBoy: null });
  });
});
