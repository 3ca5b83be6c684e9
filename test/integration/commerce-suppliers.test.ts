// The supplier portal and price changes (SPEC §3, §6).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';
import { assign, createProduct, makeActor, MARK_DELIVERED, ok, placeOrder, setIst, type Actor } from '../support/testkit/index.js';

let server: TestServer;
let admin: Actor;

const PORTAL = `query SupplierPortal($first: Int, $after: String) { me { supplier {
  id businessName commissionRateBps
  products { id name active price { paise formatted } }
  orders(first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor }
    edges { node { orderId placedAt status customerName customerArea
      lines { quantity unitPrice { paise } lineTotal { paise } product { id name } } supplierTotal { paise formatted } } } }
  month: earnings(period: MONTH) { period gross { paise } commission { paise } net { paise formatted } }
  priceChangeRequests { id status requestedPrice { paise } product { id } } } } }`;

const REQUEST = `mutation RequestPriceChange($productId: ID!, $newPricePaise: Int!, $reason: String) {
  requestPriceChange(productId: $productId, newPricePaise: $newPricePaise, reason: $reason) {
    id status currentPrice { paise formatted } requestedPrice { paise formatted } } }`;

const PENDING = `query PendingPriceChanges { priceChangeRequests(status: PENDING) { id status reason createdAt product { id name }
  supplier { id businessName } currentPrice { paise } requestedPrice { paise } } }`;

const REVIEW = `mutation ReviewPriceChange($id: ID!, $approve: Boolean!, $note: String) {
  reviewPriceChange(id: $id, approve: $approve, note: $note) { id status reviewedAt reviewedBy { id } product { id price { paise } } } }`;

beforeAll(async () => {
  server = await startTestServer();
  admin = await makeActor(server, ['ADMIN']);
});
afterAll(async () => server?.close());

describe('supplier portal', () => {
  it('shows only its products and, of orders with them, only its own lines, the customer name and area, and its earnings', async () => {
    setIst(server, '2026-06-10T07:00');
    const supplier = await makeActor(server, ['SUPPLIER'], { commissionRateBps: 1_250 });
    const rival = await makeActor(server, ['SUPPLIER']);
    const milk = await createProduct(server, admin, supplier.supplierId!, 3_333, 'Toned milk');
    const ghee = await createProduct(server, admin, supplier.supplierId!, 55_000, 'Ghee');
    const bread = await createProduct(server, admin, rival.supplierId!, 4_500, 'Bread');
    const deliveryBoy = await makeActor(server, ['DELIVERY_BOY']);
    const customer = await makeActor(server, ['CUSTOMER'], { area: 'Malleshwaram', address: '9 Secret Street' });
    await assign(server, admin, customer.customerId!, deliveryBoy.deliveryBoyId!);
    const mixed = await placeOrder(server, customer, [
      { productId: milk, quantity: 3 },
      { productId: bread, quantity: 2 },
      { productId: ghee, quantity: 1 },
    ]);
    await ok(server, deliveryBoy, MARK_DELIVERED, { orderId: mixed });
    server.clock.advance(60_000);
    await placeOrder(server, customer, [{ productId: bread, quantity: 1 }]); // none of its products
    server.clock.advance(60_000);
    const undelivered = await placeOrder(server, customer, [{ productId: milk, quantity: 1 }]);

    const portal = (await ok(server, supplier, PORTAL, { first: 10 })).me.supplier;
    expect(portal.products.map((product: any) => product.id)).toEqual([milk, ghee]);
    expect(portal.orders.totalCount).toBe(2);
    expect(portal.orders.edges.map((edge: any) => edge.node.orderId)).toEqual([undelivered, mixed]);
    const mixedView = portal.orders.edges[1].node;
    expect(mixedView).toMatchObject({
      status: 'DELIVERED',
      customerName: customer.name,
      customerArea: 'Malleshwaram',
      supplierTotal: { paise: 3 * 3_333 + 55_000, formatted: '₹649.99' },
    });
    expect(mixedView.lines.map((line: any) => line.product.id).sort()).toEqual([milk, ghee].sort());
    expect(JSON.stringify(portal)).not.toContain('9 Secret Street');
    expect(JSON.stringify(portal)).not.toContain(customer.phone);
    // 12.5 % of ₹649.99 is ₹81.24875: commission rounds to the nearest paisa and net takes the rest.
    expect(portal.month).toEqual({ period: 'MONTH', gross: { paise: 64_999 }, commission: { paise: 8_125 }, net: { paise: 56_874, formatted: '₹568.74' } });
  });

  it("refuses a supplier's filter on the customer's phone, which it may never read, but not an admin's", async () => {
    const supplier = await makeActor(server, ['SUPPLIER']);
    const milk = await createProduct(server, admin, supplier.supplierId!, 3_000);
    const customer = await makeActor(server, ['CUSTOMER']);
    await placeOrder(server, customer, [{ productId: milk, quantity: 1 }]);
    const query = `query($filter: SupplierOrderFilter) { me { supplier { orders(first: 5, filter: $filter) { totalCount } } } }`;
    const refused = await server.gql(query, { filter: { customerPhone: customer.phone } }, { token: await supplier.token() });
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(refused.errors?.[0]?.message).toContain('filter.customerPhone');
    const byArea = await ok(server, supplier, query, { filter: { customerArea: 'Koramangala' } });
    expect(byArea.me.supplier.orders.totalCount).toBe(1);
    const asAdmin = await ok(
      server,
      admin,
      `query($filter: SupplierOrderFilter) { products(first: 100) { edges { node { id supplier { orders(first: 5, filter: $filter) { totalCount } } } } } }`,
      { filter: { customerPhone: customer.phone } },
    );
    const product = asAdmin.products.edges.find((edge: any) => edge.node.id === milk);
    expect(product.node.supplier.orders.totalCount).toBe(1);
  });
});

describe('price changes', () => {
  it('are requested only by the product supplier, one pending per product, and applied only on approval', async () => {
    setIst(server, '2026-06-12T09:00');
    const supplier = await makeActor(server, ['SUPPLIER']);
    const rival = await makeActor(server, ['SUPPLIER']);
    const customer = await makeActor(server, ['CUSTOMER']);
    const milk = await createProduct(server, admin, supplier.supplierId!, 3_000);
    const earlierOrder = await placeOrder(server, customer, [{ productId: milk, quantity: 2 }]);

    for (const actor of [rival, admin]) {
      const response = await server.gql(REQUEST, { productId: milk, newPricePaise: 3_200 }, { token: await actor.token() });
      expect(response.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }
    const fromCustomer = await server.gql(REQUEST, { productId: milk, newPricePaise: 3_200 }, { token: await customer.token() });
    expect(fromCustomer.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

    const requested = await ok(server, supplier, REQUEST, { productId: milk, newPricePaise: 3_200, reason: 'Fodder costs' });
    expect(requested.requestPriceChange).toMatchObject({
      status: 'PENDING',
      currentPrice: { paise: 3_000, formatted: '₹30.00' },
      requestedPrice: { paise: 3_200, formatted: '₹32.00' },
    });
    const second = await server.gql(REQUEST, { productId: milk, newPricePaise: 3_300 }, { token: await supplier.token() });
    expect(second.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    expect((await server.database.prisma.product.findUniqueOrThrow({ where: { id: milk } })).pricePaise).toBe(3_000);

    const pending = await ok(server, admin, PENDING);
    expect(pending.priceChangeRequests).toContainEqual(
      expect.objectContaining({
        id: requested.requestPriceChange.id,
        reason: 'Fodder costs',
        supplier: { id: supplier.supplierId, businessName: expect.any(String) },
      }),
    );
    const ownList = await ok(server, supplier, PENDING);
    expect(ownList.priceChangeRequests.map((request: any) => request.id)).toEqual([requested.requestPriceChange.id]);
    expect((await ok(server, rival, PENDING)).priceChangeRequests).toEqual([]);

    const notByMarketing = await server.gql(
      REVIEW,
      { id: requested.requestPriceChange.id, approve: true },
      { token: await (await makeActor(server, ['MARKETING_STAFF'])).token() },
    );
    expect(notByMarketing.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

    const approved = await ok(server, admin, REVIEW, { id: requested.requestPriceChange.id, approve: true, note: 'ok' });
    expect(approved.reviewPriceChange).toMatchObject({
      status: 'APPROVED',
      reviewedAt: server.clock.now().toISOString(),
      reviewedBy: { id: admin.userId },
      product: { id: milk, price: { paise: 3_200 } },
    });
    const again = await server.gql(REVIEW, { id: requested.requestPriceChange.id, approve: false }, { token: await admin.token() });
    expect(again.errors?.[0]?.extensions?.code).toBe('CONFLICT');

    // The old price stays on the order placed before; a new order takes the new one.
    const earlier = await server.database.prisma.orderItem.findFirstOrThrow({ where: { orderId: earlierOrder } });
    expect(earlier).toMatchObject({ unitPricePaise: 3_000, lineTotalPaise: 6_000 });
    const later = await placeOrder(server, customer, [{ productId: milk, quantity: 2 }]);
    expect((await server.database.prisma.order.findUniqueOrThrow({ where: { id: later } })).totalPaise).toBe(6_400);

    // After the review a new request may be made; a rejection leaves the price alone.
    const next = await ok(server, supplier, REQUEST, { productId: milk, newPricePaise: 9_900 });
    const rejected = await ok(server, admin, REVIEW, { id: next.requestPriceChange.id, approve: false, note: 'too steep' });
    expect(rejected.reviewPriceChange).toMatchObject({ status: 'REJECTED', product: { price: { paise: 3_200 } } });

    const audit = await server.database.prisma.auditLog.findMany({
      where: { entityType: 'PriceChangeRequest', entityId: { in: [requested.requestPriceChange.id, next.requestPriceChange.id] } },
      orderBy: { at: 'asc' },
    });
    expect(audit.map((entry) => [entry.action, entry.actorUserId, (entry.details as any).before.requestedPricePaise])).toEqual([
      ['price-change.approve', admin.userId, 3_200],
      ['price-change.reject', admin.userId, 9_900],
    ]);
    const portal = await ok(server, supplier, `{ me { supplier { priceChangeRequests { id status requestedPrice { paise } product { id } } } } }`);
    expect(portal.me.supplier.priceChangeRequests.map((request: any) => request.status)).toEqual(['REJECTED', 'APPROVED']);
  });
});
