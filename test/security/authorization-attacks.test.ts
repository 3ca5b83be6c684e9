// Authorization attacks of SPEC §3 beyond the access tests: ids guessed across customers and suppliers,
// a delivery boy acting on someone else's order, filters as existence oracles, and a user whose role was
// removed or whose account was disabled while holding a valid token. A refusal must look the same for a
// record that exists and one that does not, and must change nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';
import { assign, createProduct, makeActor, ok, placeOrder, type Actor } from '../support/testkit/index.js';

let server: TestServer;
let admin: Actor;
let supplier: Actor;
let rival: Actor;
let milk: string;
let rivalCurd: string;
let alice: Actor;
let bob: Actor;
let aliceOrder: string;
let boy: Actor;
let otherBoy: Actor;

const MISSING = '01900000-0000-7000-8000-00000000abcd';
/** The answer with its ids and paths blanked, to compare a foreign record's refusal with a missing one's. */
const shape = (response: { data?: unknown; errors?: { message: string; extensions?: Record<string, any> }[] }) => ({
  data: response.data,
  errors: response.errors?.map((error) => ({ message: error.message, code: error.extensions?.code })),
});

beforeAll(async () => {
  server = await startTestServer();
  admin = await makeActor(server, ['ADMIN']);
  supplier = await makeActor(server, ['SUPPLIER']);
  rival = await makeActor(server, ['SUPPLIER']);
  milk = await createProduct(server, admin, supplier.supplierId!, 3_000);
  rivalCurd = await createProduct(server, admin, rival.supplierId!, 4_000);
  alice = await makeActor(server, ['CUSTOMER'], { address: '1 Private Lane' });
  bob = await makeActor(server, ['CUSTOMER']);
  boy = await makeActor(server, ['DELIVERY_BOY']);
  otherBoy = await makeActor(server, ['DELIVERY_BOY']);
  await assign(server, admin, alice.customerId!, boy.deliveryBoyId!);
  aliceOrder = await placeOrder(server, alice, [{ productId: milk, quantity: 2 }]);
});
afterAll(async () => server?.close());

describe('id guessing across customers', () => {
  it("cannot subscribe or order on another customer's behalf", async () => {
    const subscribe = `mutation($input: CreateSubscriptionInput!) { createSubscription(input: $input) { id customer { id } } }`;
    const input = { customerId: alice.customerId, productId: milk, quantity: 1, pattern: 'DAILY', shift: 'MORNING', startDate: '2026-06-20' };
    const foreign = await server.gql(subscribe, { input }, { token: await bob.token() });
    const missing = await server.gql(subscribe, { input: { ...input, customerId: MISSING } }, { token: await bob.token() });
    expect(foreign.errors?.[0].extensions?.code).toMatch(/FORBIDDEN|BAD_USER_INPUT|NOT_FOUND/);
    expect(shape(foreign)).toEqual(shape(missing));
    const order = `mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { id customer { id } } }`;
    const asAlice = await server.gql(
      order,
      { input: { customerId: alice.customerId, items: [{ productId: milk, quantity: 1 }], deliveryDate: '2026-06-20' } },
      { token: await bob.token() },
    );
    expect(asAlice.errors?.[0].extensions?.code).toMatch(/FORBIDDEN|BAD_USER_INPUT/);
    expect(await server.database.prisma.subscription.count({ where: { customerId: alice.customerId! } })).toBe(0);
    expect(await server.database.prisma.order.count({ where: { customerId: alice.customerId! } })).toBe(1);
  });

  it("cannot read another customer's record, orders or contact fields by id", async () => {
    const query = `query($id: ID!) { customer(id: $id) { id phone address } }`;
    const foreign = await server.gql(query, { id: alice.customerId }, { token: await bob.token() });
    const missing = await server.gql(query, { id: MISSING }, { token: await bob.token() });
    expect(foreign.data).toEqual({ customer: null });
    expect(shape(foreign)).toEqual(shape(missing));
    expect(JSON.stringify(foreign)).not.toContain('Private Lane');
  });
});

describe('id guessing across suppliers', () => {
  it("cannot ask for a price change on a rival's product, and the refusal reveals nothing", async () => {
    const request = `mutation($p: ID!) { requestPriceChange(productId: $p, newPricePaise: 1, reason: "undercut") { id } }`;
    const foreign = await server.gql(request, { p: rivalCurd }, { token: await supplier.token() });
    const missing = await server.gql(request, { p: MISSING }, { token: await supplier.token() });
    expect(foreign.errors?.[0].extensions?.code).toMatch(/FORBIDDEN|NOT_FOUND/);
    expect(shape(foreign)).toEqual(shape(missing));
    expect(await server.database.prisma.priceChangeRequest.count({ where: { productId: rivalCurd } })).toBe(0);
  });

  it("sees none of a rival's orders, earnings or customers through any nested path", async () => {
    const rivalBuyer = await makeActor(server, ['CUSTOMER']);
    await placeOrder(server, rivalBuyer, [{ productId: rivalCurd, quantity: 3 }]);
    const viaProducts = await server.gql(
      `{ products(first: 100) { edges { node { id supplier { id earnings(period: ALL_TIME) { gross { paise } } orders(first: 5) { totalCount } } } } } }`,
      {},
      { token: await supplier.token() },
    );
    const nodes = viaProducts.data?.products.edges.map((edge: { node: { id: string } }) => edge.node.id) ?? [];
    expect(nodes).not.toContain(rivalCurd);
    const own = await ok(server, supplier, `{ me { supplier { orders(first: 20) { edges { node { customerName lines { product { id } } } } } } } }`);
    const lines = own.me.supplier.orders.edges.flatMap((edge: { node: { lines: { product: { id: string } }[] } }) =>
      edge.node.lines.map((line) => line.product.id),
    );
    expect(lines.every((id: string) => id === milk)).toBe(true);
    expect(JSON.stringify(own)).not.toContain(rivalBuyer.name);
  });
});

describe('delivery boys', () => {
  it('cannot mark delivered an order that is not his, which looks like a missing order and changes nothing', async () => {
    const mark = `mutation($id: ID!) { markOrderDelivered(orderId: $id) { id status } }`;
    const foreign = await server.gql(mark, { id: aliceOrder }, { token: await otherBoy.token() });
    const missing = await server.gql(mark, { id: MISSING }, { token: await otherBoy.token() });
    expect(foreign.errors?.[0].extensions?.code).toMatch(/FORBIDDEN|NOT_FOUND/);
    expect(shape(foreign)).toEqual(shape(missing));
    const order = await server.database.prisma.order.findUniqueOrThrow({ where: { id: aliceOrder } });
    expect(order.status).toBe('PLACED');
    expect(await server.database.prisma.delivery.count({ where: { orderId: aliceOrder } })).toBe(0);
    // His own assigned order he may mark.
    expect((await ok(server, boy, mark, { id: aliceOrder })).markOrderDelivered.status).toBe('DELIVERED');
  });

  it('cannot use a phone filter to learn whether someone else is a customer', async () => {
    const filter = `query($phone: String) { customers(first: 5, filter: { phone: $phone }) { totalCount edges { node { id } } } }`;
    const stranger = await server.gql(filter, { phone: bob.phone }, { token: await otherBoy.token() });
    const nobody = await server.gql(filter, { phone: '+919000000001' }, { token: await otherBoy.token() });
    expect(stranger.data).toEqual({ customers: { totalCount: 0, edges: [] } });
    expect(shape(stranger)).toEqual(shape(nobody));
  });
});

describe('accounts changed under a live token', () => {
  it('a customer whose CUSTOMER role was removed can no longer act through the facet', async () => {
    const carol = await makeActor(server, ['CUSTOMER']);
    const token = await carol.token();
    await ok(server, admin, `mutation($u: ID!) { setUserRoles(userId: $u, roles: []) { id } }`, { u: carol.userId });
    const order = await server.gql(
      `mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { id } }`,
      { input: { items: [{ productId: milk, quantity: 1 }], deliveryDate: '2026-06-20' } },
      { token },
    );
    expect(order.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const read = await server.gql(`{ me { id } }`, {}, { token });
    expect(read.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(await server.database.prisma.order.count({ where: { customerId: carol.customerId! } })).toBe(0);
    // The facet and its history stay for the business (SPEC §1).
    expect(await server.database.prisma.customer.count({ where: { id: carol.customerId! } })).toBe(1);
  });

  it('a disabled user is refused on the next request and cannot refresh back in', async () => {
    const dave = await makeActor(server, ['CUSTOMER', 'MARKETING_STAFF']);
    const token = await dave.token();
    expect((await server.gql(`{ customers(first: 1) { totalCount } }`, {}, { token })).errors).toBeUndefined();
    await ok(server, admin, `mutation($u: ID!) { setUserStatus(userId: $u, status: DISABLED) { id } }`, { u: dave.userId });
    for (const query of [`{ customers(first: 1) { totalCount } }`, `{ me { id } }`, `mutation { logoutAll }`]) {
      expect((await server.gql(query, {}, { token })).errors?.[0].extensions?.code, query).toBe('UNAUTHENTICATED');
    }
    const sessions = await server.database.prisma.session.findMany({ where: { userId: dave.userId } });
    expect(sessions.every((session) => session.revokedAt !== null)).toBe(true);
  });
});
