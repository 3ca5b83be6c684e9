// Planned operations (src/server/operation-plans.ts) answer byte for byte what the general path answers.
// Two servers share one database and clock: one with the plans (the default), one with OPERATION_PLANS=off.
// Every request goes to both and the two bodies must be the same text; the plans' counter says which path
// answered on the first server, so a plan that quietly stopped answering fails too.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/server/app.js';
import { listen, type RunningServer } from '../../src/server/http.js';
import { createLogger } from '../../src/server/logger.js';
import { MANIFEST_FILE, type PersistedQueryManifest } from '../../src/server/trusted-documents.js';
import { formattedPaise } from '../../src/server/operation-plans.sql.js';
import { accountKey } from '../../src/modules/identity/identity.keys.js';
import { LOCKOUT_THRESHOLD } from '../../src/modules/identity/attempt-counters.js';
import { formatPaise } from '../../src/shared/money.js';
import { contractOperation } from '../support/contract.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { assign, createProduct, makeActor, MARK_DELIVERED, ok, placeOrder, setIst, type Actor } from '../support/testkit/index.js';

let server: TestServer;
let general: { app: App; http: RunningServer; url: string };
const orders: string[] = [];
let actors: Record<'admin' | 'marketing' | 'customer' | 'newCustomer' | 'deliveryBoy' | 'idleDeliveryBoy' | 'both' | 'supplier', Actor>;

const manifest = JSON.parse(readFileSync(MANIFEST_FILE, 'utf8')) as PersistedQueryManifest;
const manifestBody = (name: string) => manifest.operations.find((operation) => operation.name === name)!;

beforeAll(async () => {
  server = await startTestServer();
  setIst(server, '2026-06-15T06:00');
  const config = { ...server.app.config, OPERATION_PLANS: 'off' as const };
  const app = await createApp({ config, database: server.database, log: createLogger('silent'), clock: server.clock });
  const http = await listen(app, 0, '127.0.0.1');
  general = { app, http, url: `http://127.0.0.1:${http.port}/graphql` };

  const admin = await makeActor(server, ['ADMIN']);
  const supplier = await makeActor(server, ['SUPPLIER']);
  const deliveryBoy = await makeActor(server, ['DELIVERY_BOY'], { ratePerDeliveryPaise: 3_250 });
  const idleDeliveryBoy = await makeActor(server, ['DELIVERY_BOY']);
  const customer = await makeActor(server, ['CUSTOMER']);
  const newCustomer = await makeActor(server, ['CUSTOMER'], { phone: null });
  const both = await makeActor(server, ['CUSTOMER', 'DELIVERY_BOY']);
  const marketing = await makeActor(server, ['MARKETING_STAFF']);
  actors = { admin, marketing, customer, newCustomer, deliveryBoy, idleDeliveryBoy, both, supplier };
  const milk = await createProduct(server, admin, supplier.supplierId!, 2_500);
  const curd = await createProduct(server, admin, supplier.supplierId!, 9_876_543);
  await assign(server, admin, customer.customerId!, deliveryBoy.deliveryBoyId!);
  await assign(server, admin, both.customerId!, deliveryBoy.deliveryBoyId!);
  for (const [productId, pattern] of [
    [milk, 'DAILY'],
    [curd, 'ALTERNATE_DAYS'],
  ] as const) {
    await ok(server, customer, contractOperation('CreateSubscription'), {
      input: { productId, quantity: 2, pattern, shift: 'MORNING', startDate: '2026-06-20' },
    });
  }
  // 23 orders a minute apart (a second page), two delivered, one of them with a line of ₹98,765.43.
  for (let index = 0; index < 23; index += 1) {
    setIst(server, `2026-06-15T06:${String(10 + index).padStart(2, '0')}`);
    orders.push(
      await placeOrder(
        server,
        customer,
        index === 3
          ? [
              { productId: milk, quantity: 2 },
              { productId: curd, quantity: 1 },
            ]
          : [{ productId: milk, quantity: 1 + (index % 3) }],
      ),
    );
  }
  await placeOrder(server, both, [{ productId: milk, quantity: 1 }]);
  setIst(server, '2026-06-15T07:00');
  await ok(server, deliveryBoy, MARK_DELIVERED, { orderId: orders[0] });
  await ok(server, deliveryBoy, MARK_DELIVERED, { orderId: orders[3] });
  setIst(server, '2026-06-15T07:30');
  await ok(server, admin, contractOperation('RecordPayout'), {
    deliveryBoyId: deliveryBoy.deliveryBoyId,
    amountPaise: 2_000,
    paidAt: '2026-06-15T01:40:00.000Z',
  });
  await ok(server, admin, contractOperation('RecordPayout'), {
    deliveryBoyId: deliveryBoy.deliveryBoyId,
    amountPaise: 1_000,
    paidAt: '2026-06-15T01:50:00.000Z',
  });
  await ok(server, supplier, contractOperation('RequestPriceChange'), { productId: milk, newPricePaise: 2_600, reason: 'feed prices' });
  setIst(server, '2026-06-15T09:00');
});

afterAll(async () => {
  await general?.http.close();
  await general?.app.close();
  await server?.close();
});

interface Answer {
  status: number;
  text: string;
  statements: number;
}

async function post(url: string, body: Record<string, unknown>, actor?: Actor): Promise<Answer> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(actor ? { authorization: `Bearer ${await actor.token()}` } : {}) },
    body: JSON.stringify(body),
  });
  return { status: response.status, text: await response.text(), statements: Number(response.headers.get('x-sql-statements') ?? -1) };
}

async function counted(operation: string, outcome: string): Promise<number> {
  const metric = await server.app.metrics.registry.getSingleMetric('bff_planned_operations_total')!.get();
  return metric.values.find((value) => value.labels.operation === operation && value.labels.outcome === outcome)?.value ?? 0;
}

/** The same request to both servers: the same bytes, and the planned server's counter moved for `outcome`. */
async function bothWays(name: string, body: Record<string, unknown>, actor: Actor | undefined, outcome: 'planned' | 'general') {
  const before = await counted(name, outcome);
  const planned = await post(server.url, body, actor);
  const generalAnswer = await post(general.url, body, actor);
  expect(planned.text).toBe(generalAnswer.text);
  expect(planned.status).toBe(generalAnswer.status);
  expect(await counted(name, outcome)).toBe(before + 1);
  return { planned, general: generalAnswer, json: JSON.parse(planned.text) as { data?: any; errors?: any[] } };
}

const plain = (name: string) => ({ query: contractOperation(name), variables: {} });
const withTypenames = (name: string) => ({ query: manifestBody(name).body });
const byId = (name: string) => ({ extensions: { persistedQuery: { version: 1, sha256Hash: manifestBody(name).id } } });

describe('planned operations answer as the general path does', () => {
  it.each([
    ['the contract text', plain('Me')],
    ['the text with __typename', withTypenames('Me')],
    ['the manifest id', byId('Me')],
  ])('Me of a customer with two pages of orders, sent as %s', async (_form, body) => {
    const { json, planned } = await bothWays('Me', body, actors.customer, 'planned');
    expect(json.errors).toBeUndefined();
    const customer = json.data.me.customer;
    expect(customer.orders.totalCount).toBe(23);
    expect(customer.orders.edges).toHaveLength(20);
    expect(customer.orders.pageInfo.hasNextPage).toBe(true);
    expect(customer.subscriptions.totalCount).toBe(2);
    expect(customer.deliveryBoy.id).toBe(actors.deliveryBoy.deliveryBoyId);
    expect(planned.statements).toBe(2);
  });

  it('Me of a customer with no order, subscription, delivery boy or phone', async () => {
    const { json } = await bothWays('Me', plain('Me'), actors.newCustomer, 'planned');
    expect(json.data.me.customer).toMatchObject({ deliveryBoy: null, orders: { totalCount: 0, edges: [], pageInfo: { hasNextPage: false, endCursor: null } } });
    expect(json.data.me.phone).toBeNull();
  });

  it.each([
    ['the contract text', plain('Me')],
    ['the text with __typename', withTypenames('Me')],
  ])('Me of a delivery boy with deliveries and payouts, sent as %s', async (_form, body) => {
    const { json, planned } = await bothWays('Me', body, actors.deliveryBoy, 'planned');
    expect(json.errors).toBeUndefined();
    const facet = json.data.me.deliveryBoy;
    expect(facet.today).toMatchObject({ deliveries: 2, amount: { paise: 6_500 } });
    expect(facet.unpaidBalance.paise).toBe(3_500);
    expect(facet.lastPayout.amount.paise).toBe(1_000);
    expect(planned.statements).toBe(2);
  });

  it('Me of a delivery boy who has delivered nothing and been paid nothing', async () => {
    const { json } = await bothWays('Me', plain('Me'), actors.idleDeliveryBoy, 'planned');
    expect(json.data.me.deliveryBoy).toMatchObject({ today: { deliveries: 0 }, lastPayout: null, unpaidBalance: { paise: 0, formatted: '₹0.00' } });
  });

  it.each([
    ['the contract text', plain('MyRoute')],
    ['the text with __typename', withTypenames('MyRoute')],
  ])("MyRoute of a delivery boy with today's orders, sent as %s", async (_form, body) => {
    const { json, planned } = await bothWays('MyRoute', body, actors.deliveryBoy, 'planned');
    expect(json.errors).toBeUndefined();
    expect(json.data.me.deliveryBoy.todaysOrders).toHaveLength(24);
    expect(planned.statements).toBe(2);
  });

  it('MyRoute of a delivery boy with an empty route', async () => {
    const { json } = await bothWays('MyRoute', plain('MyRoute'), actors.idleDeliveryBoy, 'planned');
    expect(json.data.me.deliveryBoy.todaysOrders).toEqual([]);
  });

  it.each([
    ['the contract text, first: 100', { ...plain('SupplierPortal'), variables: { first: 100 } }],
    ['the text with __typename, first: 5', { ...withTypenames('SupplierPortal'), variables: { first: 5 } }],
    ['the manifest id, no variables', byId('SupplierPortal')],
    ['the contract text, first: null, after: null', { ...plain('SupplierPortal'), variables: { first: null, after: null } }],
  ])('SupplierPortal of a supplier, sent as %s', async (_form, body) => {
    const { json, planned } = await bothWays('SupplierPortal', body, actors.supplier, 'planned');
    expect(json.errors).toBeUndefined();
    const supplier = json.data.me.supplier;
    // The customer's 23 orders and the one of the customer who is also a delivery boy.
    expect(supplier.orders.totalCount).toBe(24);
    const first = (body as { variables?: { first?: number | null } }).variables?.first ?? 20;
    expect(supplier.orders.edges).toHaveLength(Math.min(first, 24));
    expect(supplier.orders.pageInfo.hasNextPage).toBe(first < 24);
    // Delivered this month: ₹25 + ₹50 + ₹98,765.43; 10 % commission, rounded to the paisa.
    expect(supplier.month).toMatchObject({ gross: { paise: 9_884_043 }, commission: { paise: 988_404 }, net: { paise: 8_895_639 } });
    expect(supplier.priceChangeRequests).toHaveLength(1);
    expect(planned.statements).toBe(2);
  });

  it('SupplierPortal pages after the first, and page sizes the general path refuses, are left to it', async () => {
    const firstPage = await bothWays('SupplierPortal', { ...plain('SupplierPortal'), variables: { first: 5 } }, actors.supplier, 'planned');
    const after = firstPage.json.data.me.supplier.orders.pageInfo.endCursor as string;
    const second = await bothWays('SupplierPortal', { ...plain('SupplierPortal'), variables: { first: 5, after } }, actors.supplier, 'general');
    expect(second.json.data.me.supplier.orders.edges).toHaveLength(5);
    await bothWays('SupplierPortal', { ...plain('SupplierPortal'), variables: { first: 0 } }, actors.supplier, 'general');
    const tooMany = await bothWays('SupplierPortal', { ...plain('SupplierPortal'), variables: { first: 101 } }, actors.supplier, 'general');
    expect(tooMany.json.errors?.map((error) => error.extensions.code)).toEqual(['BAD_USER_INPUT']);
  });

  it('callers a plan is not made for get the general path: two facets, a supplier, no token', async () => {
    await bothWays('Me', plain('Me'), actors.both, 'general');
    await bothWays('MyRoute', plain('MyRoute'), actors.both, 'general');
    await bothWays('Me', plain('Me'), actors.supplier, 'general');
    const { json } = await bothWays('Me', plain('Me'), undefined, 'general');
    expect(json.errors?.[0].extensions.code).toBe('UNAUTHENTICATED');
  });

  it('a customer asking MyRoute gets what the general path masks', async () => {
    const { json } = await bothWays('MyRoute', plain('MyRoute'), actors.customer, 'general');
    expect(json.data.me.deliveryBoy).toBeNull();
  });

  it('a document that differs from the contract is not planned', async () => {
    const before = (await counted('Me', 'planned')) + (await counted('Me', 'general'));
    const query = contractOperation('Me').replace('createdAt', 'createdAt __typename');
    const planned = await post(server.url, { query }, actors.customer);
    expect(planned.text).toBe((await post(general.url, { query }, actors.customer)).text);
    expect((await counted('Me', 'planned')) + (await counted('Me', 'general'))).toBe(before);
  });

  it('an amount beyond Int is left to the general path, which answers it with its error', async () => {
    // Two deliveries of ₹2,00,00,000 each: all time, the idle delivery boy has earned more than an Int holds.
    const deliveredAt = new Date('2026-06-10T04:00:00Z');
    const rows = [orders[10], orders[11]].map((orderId) => ({
      orderId,
      deliveryBoyId: actors.idleDeliveryBoy.deliveryBoyId!,
      deliveredAt,
      ratePaise: 2_000_000_000,
    }));
    await server.database.prisma.delivery.createMany({ data: rows });
    try {
      const { json } = await bothWays('Me', plain('Me'), actors.idleDeliveryBoy, 'general');
      expect(json.errors?.map((error) => error.path?.join('.'))).toEqual(['me.deliveryBoy.month.amount.paise']);
    } finally {
      await server.database.prisma.delivery.deleteMany({ where: { orderId: { in: [orders[10], orders[11]] } } });
    }
  });

  it('text the statement prints itself is what JSON.stringify prints: quotes, escapes, control characters, scripts, emoji', async () => {
    const { customerId, userId } = actors.newCustomer;
    const before = await server.database.prisma.customer.findUniqueOrThrow({ where: { id: customerId! } });
    const odd = 'Ravi "RK" \\ Kumar\n\t\u0001\u001f\u007f रवि 🥛 \u2028 </script>';
    await server.database.prisma.customer.update({ where: { id: customerId! }, data: { name: odd, address: `${odd} 2`, area: '' } });
    await server.database.prisma.user.update({ where: { id: userId }, data: { name: odd } });
    try {
      const { json } = await bothWays('Me', plain('Me'), actors.newCustomer, 'planned');
      expect(json.data.me.name).toBe(odd);
      expect(json.data.me.customer).toMatchObject({ name: odd, address: `${odd} 2`, area: '' });
    } finally {
      await server.database.prisma.customer.update({ where: { id: customerId! }, data: { name: before.name, address: before.address, area: before.area } });
      await server.database.prisma.user.update({ where: { id: userId }, data: { name: before.name } });
    }
  });

  it('money is formatted in SQL as formatPaise formats it, over the whole of Int', async () => {
    const amounts = [0, 1, 5, 9, 10, 99, 100, 101, 999, 1_000, 99_999, 100_000, 123_456, 1_234_567, 12_345_678, 98_765_432, 123_456_789, 2_147_483_647];
    const values = [...amounts, ...amounts.filter((paise) => paise > 0).map((paise) => -paise), -2_147_483_648];
    const rows = await server.database.prisma.$queryRawUnsafe<{ paise: number; text: string }[]>(
      `SELECT v AS paise, ${formattedPaise('v')} AS text FROM unnest($1::int4[]) AS v`,
      values,
    );
    expect(rows.map((row) => [row.paise, row.text])).toEqual(values.map((paise) => [paise, formatPaise(paise)]));
  });

  it('Me of a customer whose account is locked says LOCKED, as the general path does', async () => {
    const locked = await makeActor(server, ['CUSTOMER']);
    for (let attempt = 0; attempt < LOCKOUT_THRESHOLD; attempt += 1) await server.app.counters.recordFailure(accountKey(locked.userId), server.clock.now());
    const { json } = await bothWays('Me', plain('Me'), locked, 'planned');
    expect(json.data.me.status).toBe('LOCKED');
  });

  it("the month's commission rounds half a paisa up, and a rate the rule refuses is left to the general path", async () => {
    const supplierId = actors.supplier.supplierId!;
    try {
      // 50 % of ₹98,840.43 is 4,942,021.5 paise: the commission is 4,942,022.
      await server.database.prisma.supplier.update({ where: { id: supplierId }, data: { commissionRateBps: 5_000 } });
      const { json } = await bothWays('SupplierPortal', plain('SupplierPortal'), actors.supplier, 'planned');
      expect(json.data.me.supplier.month).toMatchObject({ gross: { paise: 9_884_043 }, commission: { paise: 4_942_022 }, net: { paise: 4_942_021 } });
      // The rule throws (an internal error, with an error id of its own on each server).
      await server.database.prisma.supplier.update({ where: { id: supplierId }, data: { commissionRateBps: 10_001 } });
      const before = await counted('SupplierPortal', 'general');
      const [planned, generalAnswer] = await Promise.all([server.url, general.url].map((url) => post(url, plain('SupplierPortal'), actors.supplier)));
      const withoutIds = (text: string) => text.replace(/"errorId":"[^"]+"/g, '"errorId":"…"');
      expect(withoutIds(planned.text)).toBe(withoutIds(generalAnswer.text));
      expect(JSON.parse(planned.text).errors.map((error: { extensions: { code: string } }) => error.extensions.code)).toEqual(['INTERNAL_SERVER_ERROR']);
      expect(await counted('SupplierPortal', 'general')).toBe(before + 1);
    } finally {
      await server.database.prisma.supplier.update({ where: { id: supplierId }, data: { commissionRateBps: 1_000 } });
    }
  });

  // Every query of the contract, as every kind of caller: whatever answers (a plan or the general path), the
  // two servers give the same bytes.
  const QUERIES: [string, () => Record<string, unknown>][] = [
    ['Me', () => ({})],
    ['LookupUser', () => ({ identifier: actors.customer.phone })],
    ['Users', () => ({ first: 20 })],
    ['Customers', () => ({ first: 20 })],
    ['Products', () => ({ first: 20 })],
    ['MyRoute', () => ({})],
    ['SupplierPortal', () => ({ first: 20 })],
    ['PendingPriceChanges', () => ({})],
    ['ActivationDashboard', () => ({})],
    ['CustomerActivation', () => ({ id: actors.customer.customerId })],
    ['RoleAudit', () => ({})],
  ];
  const CALLERS = ['admin', 'marketing', 'customer', 'newCustomer', 'deliveryBoy', 'both', 'supplier'] as const;
  it.each(QUERIES.flatMap(([name, variables]) => CALLERS.map((caller) => ({ name, variables, caller }))))(
    '$name as $caller: the same answer with and without plans',
    async ({ name, variables, caller }) => {
      const body = { query: contractOperation(name), variables: variables() };
      const planned = await post(server.url, body, actors[caller]);
      const generalAnswer = await post(general.url, body, actors[caller]);
      expect(planned.status).toBe(200);
      expect(planned.text).toBe(generalAnswer.text);
    },
  );
});
