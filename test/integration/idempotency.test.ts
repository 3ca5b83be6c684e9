// Idempotency keys through the real server (docs/deployment.md, "Retries and idempotency keys"): for each of
// the five keyed mutations a retry with the same key writes nothing and answers the same record; another key
// writes again; the same key with other arguments is a CONFLICT; five duplicates at once write once; keys are
// per caller; the header and the argument both work.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assign, createProduct, istToday, makeActor, STRONG_PASSWORD, uniqueEmail, uniquePhone, type Actor } from '../support/testkit/index.js';
import { startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
let admin: Actor;
let milk: string;

beforeAll(async () => {
  server = await startTestServer();
  admin = await makeActor(server, ['ADMIN']);
  const supplier = await makeActor(server, ['SUPPLIER']);
  milk = await createProduct(server, admin, supplier.supplierId!, 3_200);
});
afterAll(async () => server?.close());

const PLACE = `mutation($input: PlaceOrderInput!, $key: String) {
  placeOrder(input: $input, idempotencyKey: $key) { id status total { paise } customer { id } } }`;
const MARK = `mutation($orderId: ID!, $key: String) { markOrderDelivered(orderId: $orderId, idempotencyKey: $key) { id status deliveredAt } }`;
const PAYOUT = `mutation($deliveryBoyId: ID!, $amountPaise: Int!, $key: String) {
  recordPayout(deliveryBoyId: $deliveryBoyId, amountPaise: $amountPaise, idempotencyKey: $key) { id amount { paise } } }`;
const CREATE_CUSTOMER = `mutation($input: CreateCustomerInput!, $key: String) {
  createCustomer(input: $input, idempotencyKey: $key) { id name phone activationStatus } }`;
const REGISTER = `mutation($input: RegisterInput!, $key: String) {
  register(input: $input, idempotencyKey: $key) { accessToken refreshToken user { id email } } }`;

let keys = 0;
const newKey = () => `key-${Date.now()}-${++keys}`;

async function send(actor: Actor | null, query: string, variables: Record<string, unknown>, header?: string) {
  return server.gql(query, variables, {
    ...(actor ? { token: await actor.token() } : {}),
    ...(header === undefined ? {} : { headers: { 'Idempotency-Key': header } }),
  });
}

const orderInput = (quantity = 1) => ({ items: [{ productId: milk, quantity }], deliveryDate: istToday(server) });
const ordersOf = (customer: Actor) => server.database.prisma.order.count({ where: { customerId: customer.customerId! } });

describe('placeOrder with an idempotency key', () => {
  it('answers a retry with the first order and writes nothing; another key writes again; other arguments are a CONFLICT', async () => {
    const customer = await makeActor(server, ['CUSTOMER']);
    const key = newKey();
    const first = await send(customer, PLACE, { input: orderInput() }, key);
    expect(first.errors).toBeUndefined();
    const retry = await send(customer, PLACE, { input: orderInput() }, key);
    expect(retry.errors).toBeUndefined();
    expect(retry.data.placeOrder).toEqual(first.data.placeOrder);
    expect(await ordersOf(customer)).toBe(1);
    expect(await server.database.prisma.orderItem.count({ where: { order: { customerId: customer.customerId! } } })).toBe(1);

    const another = await send(customer, PLACE, { input: orderInput() }, newKey());
    expect(another.data.placeOrder.id).not.toBe(first.data.placeOrder.id);
    expect(await ordersOf(customer)).toBe(2);

    const changed = await send(customer, PLACE, { input: orderInput(2) }, key);
    expect(changed.data).toBeNull();
    expect(changed.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', field: 'idempotencyKey' });
    expect(changed.errors?.[0]?.message).toMatch(/^idempotencyKey: /);
    expect(await ordersOf(customer)).toBe(2);
  });

  it('takes the key as an argument as well as a header; both given must be equal', async () => {
    const customer = await makeActor(server, ['CUSTOMER']);
    const key = newKey();
    const first = await send(customer, PLACE, { input: orderInput(), key });
    const byHeader = await send(customer, PLACE, { input: orderInput() }, key);
    const both = await send(customer, PLACE, { input: orderInput(), key }, key);
    expect(byHeader.data.placeOrder.id).toBe(first.data.placeOrder.id);
    expect(both.data.placeOrder.id).toBe(first.data.placeOrder.id);
    expect(await ordersOf(customer)).toBe(1);

    const differ = await send(customer, PLACE, { input: orderInput(), key: newKey() }, key);
    expect(differ.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'idempotencyKey' });
    expect(await ordersOf(customer)).toBe(1);
  });

  it('refuses a key that is empty, longer than 255 characters or not printable ASCII, naming the header or the argument', async () => {
    const customer = await makeActor(server, ['CUSTOMER']);
    for (const bad of ['', 'k'.repeat(256), 'clé', 'tab\there']) {
      const asArgument = await send(customer, PLACE, { input: orderInput(), key: bad });
      expect(asArgument.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'idempotencyKey' });
    }
    for (const bad of ['k'.repeat(256), 'clé']) {
      const asHeader = await send(customer, PLACE, { input: orderInput() }, bad);
      expect(asHeader.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'Idempotency-Key header' });
    }
    const longest = await send(customer, PLACE, { input: orderInput(), key: '~'.repeat(255) });
    expect(longest.errors).toBeUndefined();
    expect(await ordersOf(customer)).toBe(1);
  });

  it("keeps keys per caller: another customer's same key places its own order", async () => {
    const one = await makeActor(server, ['CUSTOMER']);
    const other = await makeActor(server, ['CUSTOMER']);
    const key = newKey();
    const first = await send(one, PLACE, { input: orderInput() }, key);
    const second = await send(other, PLACE, { input: orderInput() }, key);
    expect(second.errors).toBeUndefined();
    expect(second.data.placeOrder.customer.id).toBe(other.customerId);
    expect(second.data.placeOrder.id).not.toBe(first.data.placeOrder.id);
    expect([await ordersOf(one), await ordersOf(other)]).toEqual([1, 1]);
  });

  it('writes once for five duplicates sent at once, and all five answer that order', async () => {
    const customer = await makeActor(server, ['CUSTOMER']);
    const key = newKey();
    const token = await customer.token();
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => server.gql(PLACE, { input: orderInput() }, { token, headers: { 'Idempotency-Key': key } })),
    );
    expect(answers.map((answer) => answer.errors)).toEqual([undefined, undefined, undefined, undefined, undefined]);
    expect(new Set(answers.map((answer) => answer.data.placeOrder.id)).size).toBe(1);
    expect(await ordersOf(customer)).toBe(1);
    expect(await server.database.prisma.orderItem.count({ where: { order: { customerId: customer.customerId! } } })).toBe(1);
  });

  it('forgets a key after 24 hours: the same key then places a new order', async () => {
    const customer = await makeActor(server, ['CUSTOMER']);
    const key = newKey();
    const first = await send(customer, PLACE, { input: orderInput() }, key);
    server.clock.advance(24 * 3600 * 1000);
    const later = await send(customer, PLACE, { input: orderInput() }, key);
    expect(later.errors).toBeUndefined();
    expect(later.data.placeOrder.id).not.toBe(first.data.placeOrder.id);
    expect(await ordersOf(customer)).toBe(2);
    expect(await server.database.prisma.idempotencyKey.count({ where: { scope: `user:${customer.userId}`, key } })).toBe(1);
  });
});

/** A customer of a fresh delivery boy with an order for today. */
async function orderForToday() {
  const deliveryBoy = await makeActor(server, ['DELIVERY_BOY'], { ratePerDeliveryPaise: 3_000 });
  const customer = await makeActor(server, ['CUSTOMER']);
  await assign(server, admin, customer.customerId!, deliveryBoy.deliveryBoyId!);
  const placed = await send(customer, PLACE, { input: orderInput() });
  return { deliveryBoy, customer, orderId: placed.data.placeOrder.id as string };
}

describe('markOrderDelivered with an idempotency key', () => {
  it('answers a retry after an error answer with the delivery that committed, and writes nothing new', async () => {
    const { deliveryBoy, orderId } = await orderForToday();
    const key = newKey();
    // The delivery commits, then a field of the answer fails (a delivery boy may not read onboardingCompleted):
    // the client sees only an error, as when a nested read meets a database restart after the commit.
    const failing = await send(
      deliveryBoy,
      `mutation($orderId: ID!) {
      markOrderDelivered(orderId: $orderId) { id customer { id onboardingCompleted } } }`,
      { orderId },
      key,
    );
    expect(failing.data).toBeNull();
    expect(failing.errors?.[0]?.path).toEqual(['markOrderDelivered', 'customer', 'onboardingCompleted']);
    const deliveries = () => server.database.prisma.delivery.count({ where: { orderId } });
    expect(await deliveries()).toBe(1);

    const retry = await send(deliveryBoy, MARK, { orderId }, key);
    expect(retry.errors).toBeUndefined();
    expect(retry.data.markOrderDelivered).toMatchObject({ id: orderId, status: 'DELIVERED', deliveredAt: server.clock.now().toISOString() });
    expect(await deliveries()).toBe(1);

    const { orderId: otherOrder } = await orderForToday();
    const reused = await send(deliveryBoy, MARK, { orderId: otherOrder }, key);
    expect(reused.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', field: 'idempotencyKey' });
    expect(await server.database.prisma.delivery.count({ where: { orderId: otherOrder } })).toBe(0);
  });

  it("writes one delivery for five duplicates at once; another caller's same key is its own", async () => {
    const { deliveryBoy, orderId } = await orderForToday();
    const key = newKey();
    const token = await deliveryBoy.token();
    const answers = await Promise.all(Array.from({ length: 5 }, () => server.gql(MARK, { orderId, key }, { token })));
    expect(answers.map((answer) => answer.data?.markOrderDelivered?.status)).toEqual(['DELIVERED', 'DELIVERED', 'DELIVERED', 'DELIVERED', 'DELIVERED']);
    expect(await server.database.prisma.delivery.count({ where: { orderId } })).toBe(1);
    const byAdmin = await send(admin, MARK, { orderId, key });
    expect(byAdmin.data.markOrderDelivered).toMatchObject({ id: orderId, status: 'DELIVERED' });
    expect(await server.database.prisma.idempotencyKey.count({ where: { key } })).toBe(2);
  });
});

describe('recordPayout with an idempotency key', () => {
  it('records one payout however it is retried, and refuses the key for another amount', async () => {
    const { deliveryBoy, orderId } = await orderForToday();
    await send(deliveryBoy, MARK, { orderId });
    const payouts = () => server.database.prisma.payout.count({ where: { deliveryBoyId: deliveryBoy.deliveryBoyId! } });
    const key = newKey();
    const token = await admin.token();
    const answers = await Promise.all(
      Array.from({ length: 5 }, () =>
        server.gql(PAYOUT, { deliveryBoyId: deliveryBoy.deliveryBoyId, amountPaise: 2_000 }, { token, headers: { 'Idempotency-Key': key } }),
      ),
    );
    expect(answers.map((answer) => answer.errors)).toEqual([undefined, undefined, undefined, undefined, undefined]);
    expect(new Set(answers.map((answer) => answer.data.recordPayout.id)).size).toBe(1);
    expect(answers[0].data.recordPayout.amount.paise).toBe(2_000);
    expect(await payouts()).toBe(1);
    expect(await server.database.prisma.auditLog.count({ where: { action: 'payout.record', entityId: answers[0].data.recordPayout.id } })).toBe(1);

    const retry = await send(admin, PAYOUT, { deliveryBoyId: deliveryBoy.deliveryBoyId, amountPaise: 2_000, key });
    expect(retry.data.recordPayout).toEqual(answers[0].data.recordPayout);
    const otherAmount = await send(admin, PAYOUT, { deliveryBoyId: deliveryBoy.deliveryBoyId, amountPaise: 1_000, key });
    expect(otherAmount.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', field: 'idempotencyKey' });
    expect(await payouts()).toBe(1);
    const anotherKey = await send(admin, PAYOUT, { deliveryBoyId: deliveryBoy.deliveryBoyId, amountPaise: 1_000, key: newKey() });
    expect(anotherKey.errors).toBeUndefined();
    expect(await payouts()).toBe(2);
  });
});

describe('createCustomer with an idempotency key', () => {
  it('answers a retry with the customer created instead of a CONFLICT, and writes once for five at once', async () => {
    const marketing = await makeActor(server, ['MARKETING_STAFF']);
    const phone = uniquePhone();
    const input = { name: 'Field Signup', phone, area: 'Indiranagar' };
    const key = newKey();
    const token = await marketing.token();
    const answers = await Promise.all(Array.from({ length: 5 }, () => server.gql(CREATE_CUSTOMER, { input, key }, { token })));
    expect(answers.map((answer) => answer.errors)).toEqual([undefined, undefined, undefined, undefined, undefined]);
    expect(new Set(answers.map((answer) => answer.data.createCustomer.id)).size).toBe(1);
    const count = () => server.database.prisma.customer.count({ where: { phone: { contains: phone.slice(-10) } } });
    expect(await count()).toBe(1);

    const retry = await send(marketing, CREATE_CUSTOMER, { input }, key);
    expect(retry.data.createCustomer).toEqual(answers[0].data.createCustomer);
    expect(await count()).toBe(1);
    const withoutKey = await send(marketing, CREATE_CUSTOMER, { input });
    expect(withoutKey.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    const otherInput = await send(marketing, CREATE_CUSTOMER, { input: { ...input, name: 'Someone Else' } }, key);
    expect(otherInput.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', field: 'idempotencyKey' });

    const colleague = await makeActor(server, ['MARKETING_STAFF']);
    const otherPhone = uniquePhone();
    const own = await send(colleague, CREATE_CUSTOMER, { input: { ...input, phone: otherPhone } }, key);
    expect(own.errors).toBeUndefined();
    expect(own.data.createCustomer.id).not.toBe(answers[0].data.createCustomer.id);
  });
});

describe('register with an idempotency key', () => {
  it('answers a retry with the same user in a new session and never a second user', async () => {
    const email = uniqueEmail('retry');
    const input = { name: 'Retry Reader', email, password: STRONG_PASSWORD };
    const key = newKey();
    const answers = await Promise.all(Array.from({ length: 5 }, () => send(null, REGISTER, { input }, key)));
    expect(answers.map((answer) => answer.errors)).toEqual([undefined, undefined, undefined, undefined, undefined]);
    const userIds = new Set(answers.map((answer) => answer.data.register.user.id));
    expect(userIds.size).toBe(1);
    const [userId] = [...userIds];
    expect(await server.database.prisma.user.count({ where: { email } })).toBe(1);
    expect(await server.database.prisma.customer.count({ where: { userId } })).toBe(1);
    // Each answer is its own session: a refresh token is stored only hashed, so none is handed out twice.
    expect(new Set(answers.map((answer) => answer.data.register.refreshToken)).size).toBe(5);
    expect(await server.database.prisma.session.count({ where: { userId } })).toBe(5);

    const otherPassword = await send(null, REGISTER, { input: { ...input, password: `${STRONG_PASSWORD} and more` } }, key);
    expect(otherPassword.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', field: 'idempotencyKey' });
    expect(await server.database.prisma.session.count({ where: { userId } })).toBe(5);
    const noKey = await send(null, REGISTER, { input });
    expect(noKey.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    expect(await server.database.prisma.user.count({ where: { email } })).toBe(1);
  });
});
