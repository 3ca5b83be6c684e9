// Bad input everywhere (SPEC §8): fast-check feeds every input type and scalar argument of the contract
// with random and hostile values through the real HTTP server. Every answer is a success or a documented
// client error, never INTERNAL_SERVER_ERROR or a 5xx, and the database keeps its invariants afterwards.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSignedInUser } from '../support/testkit/index.js';
import { fromNewIp } from '../support/operations.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { send } from './http.helpers.js';

const RUNS = 20;
/** Node's default limit on the size of a request's headers (http.maxHeaderSize). */
const MAX_HEADER_BYTES = 16 * 1024;
const CLEAN_CODES = new Set(['BAD_USER_INPUT', 'INVALID_CREDENTIALS', 'FORBIDDEN', 'NOT_FOUND', 'CONFLICT', 'RATE_LIMITED', 'UNAUTHENTICATED', 'REFRESH_RACE']);

let server: TestServer;
let admin: string;
let customer: string;
let supplierId: string;

beforeAll(async () => {
  server = await startTestServer({ TRUST_PROXY: 'true' });
  admin = (await createSignedInUser(server, ['ADMIN'])).token;
  customer = (await createSignedInUser(server, ['CUSTOMER'])).token;
  const supplier = await createSignedInUser(server, ['SUPPLIER']);
  supplierId = (await server.database.prisma.supplier.findUniqueOrThrow({ where: { userId: supplier.user.id } })).id;
});
afterAll(async () => server?.close());

const HOSTILE_TEXT = [
  '',
  ' ',
  '\t\n',
  '\u0000',
  'a\u0000b@example.in',
  '\u0007\u001b[31m',
  "' OR '1'='1' --",
  '"; DROP TABLE "User"; --',
  '1; SELECT pg_sleep(10)',
  '{"$gt": ""}',
  '{"$where": "sleep(1000)"}',
  '$ne',
  '[$regex]',
  '<script>alert(1)</script>',
  '${jndi:ldap://x}',
  '../../etc/passwd',
  'ａｄｍｉｎ＠ｅｘａｍｐｌｅ．ｉｎ',
  'аdmin@example.in',
  'admin@exаmple.in',
  '+91 ９８７６５４３２１０',
  '९८७६५४३२१०',
  '٩٨٧٦٥٤٣٢١٠',
  '+91\u200b9876543210',
  '98765\u202e43210',
  '\ud800',
  '\udfff\ud800',
  '😀'.repeat(200),
  'x'.repeat(20_000),
  'é'.repeat(129),
  'A'.repeat(73),
  '%00',
  '\\u0000',
  'null',
  'undefined',
  '0',
  '-1',
  '1e309',
  'NaN',
  'true',
  '00000000-0000-0000-0000-000000000000',
  '01900000-0000-7000-8000-000000000000',
  'eyJhbGciOiJub25lIn0.e30.',
  'W10',
  'WyJ4Il0',
  'WzEsMl0=',
];
const text = fc.oneof(
  fc.constantFrom(...HOSTILE_TEXT),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 200 }),
);
const maybeText = fc.option(text, { nil: null });
const integer = fc.oneof(fc.integer(), fc.constantFrom(-1, 0, 1, 100, 101, 2_147_483_647, -2_147_483_648), fc.constantFrom(2 ** 31, 1e15, 1.5, -0.5));
const date = fc.oneof(
  fc.constantFrom(
    '0000-01-01',
    '0001-01-01',
    '1969-12-31',
    '2026-02-30',
    '2026-13-01',
    '9999-12-31',
    '275760-09-13',
    '+275760-09-13',
    '-000001-01-01',
    '2026-06-15T00:00:00Z',
    '20260615',
    '',
  ),
  fc.date({ min: new Date(-8.64e15), max: new Date(8.64e15), noInvalidDate: true }).map((value) => value.toISOString().slice(0, 10)),
  text,
);
const dateTime = fc.oneof(
  fc.constantFrom('0000-01-01T00:00:00Z', '+275760-09-13T00:00:00.000Z', '-271821-04-20T00:00:00Z', '2026-06-15T25:61:00Z', '2026-06-15', '1e20', ''),
  fc.date({ min: new Date(-8.64e15), max: new Date(8.64e15), noInvalidDate: true }).map((value) => value.toISOString()),
  text,
);
const role = fc.constantFrom('CUSTOMER', 'DELIVERY_BOY', 'SUPPLIER', 'MARKETING_STAFF', 'ADMIN');

/** Sends one operation and checks the answer is clean; returns the error codes. */
async function attempt(query: string, variables: Record<string, unknown>, token?: string): Promise<string[]> {
  const answer = await send(server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...fromNewIp().headers },
    body: JSON.stringify({ query, variables }),
  });
  const context = `${query.slice(0, 60)} ${JSON.stringify(variables).slice(0, 300)} → ${answer.status} ${answer.text.slice(0, 300)}`;
  expect(answer.status, context).toBeLessThan(500);
  expect(answer.json, context).toBeDefined();
  const codes: string[] = (answer.json.errors ?? []).map((error: { extensions?: { code?: string } }) => error.extensions?.code);
  for (const code of codes) expect(CLEAN_CODES.has(code), context).toBe(true);
  expect(answer.text, context).not.toMatch(/prisma|invalid byte sequence|violates|syntax error at or near/i);
  return codes;
}

/** Runs `run` on RUNS generated tuples; a failure shrinks to the smallest offending input. */
const property = <T extends unknown[]>(arbitraries: { [K in keyof T]: fc.Arbitrary<T[K]> }, run: (...values: T) => Promise<unknown>) =>
  fc.assert(
    fc.asyncProperty(fc.tuple(...(arbitraries as fc.Arbitrary<unknown>[])), async (values) => {
      await run(...(values as T));
    }),
    { numRuns: RUNS },
  );

describe('authentication inputs', () => {
  it('RegisterInput, with extra fields now and then', async () => {
    const input = fc.record({ name: text, password: text, email: maybeText, phone: maybeText }, { requiredKeys: ['name', 'password'] });
    await property([input, fc.boolean()], (value, extra) =>
      attempt(`mutation($input: RegisterInput!) { register(input: $input) { accessToken } }`, { input: extra ? { ...value, roles: ['ADMIN'] } : value }),
    );
  });

  it('identifiers, passwords, phones, codes and tokens', async () => {
    await property([text, text], (identifier, password) =>
      attempt(`mutation($i: String!, $p: String!) { login(identifier: $i, password: $p) { accessToken } }`, { i: identifier, p: password }),
    );
    await property([text], (phone) => attempt(`mutation($phone: String!) { requestOtp(phone: $phone) { expiresAt } }`, { phone }));
    await property([text, text], (phone, code) =>
      attempt(`mutation($phone: String!, $code: String!) { verifyOtp(phone: $phone, code: $code) { accessToken } }`, { phone, code }),
    );
    await property([text], (token) => attempt(`mutation($t: String!) { refreshSession(refreshToken: $t) { accessToken } }`, { t: token }));
    await property([text], (identifier) => attempt(`mutation($i: String!) { requestPasswordReset(identifier: $i) }`, { i: identifier }));
    await property([text, text], (token, password) =>
      attempt(`mutation($t: String!, $p: String!) { resetPassword(token: $t, newPassword: $p) }`, { t: token, p: password }),
    );
    await property([text, text], (current, next) =>
      attempt(`mutation($c: String!, $n: String!) { changePassword(currentPassword: $c, newPassword: $n) }`, { c: current, n: next }, customer),
    );
    // Only what an HTTP header can carry: fetch itself refuses the rest. A header beyond Node's 16 KiB limit
    // is refused by the HTTP parser before any handler runs: 431, with nothing of the server in the answer.
    await property([text], async (token) => {
      const header = token.replace(/[^\x20-\x7e]/g, '');
      if (header.length < MAX_HEADER_BYTES) return attempt(`{ me { id } }`, {}, header);
      const answer = await send(server.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${header}`, ...fromNewIp().headers },
        body: JSON.stringify({ query: '{ me { id } }' }),
      });
      expect(answer.status).toBe(431);
      expect(answer.text).toBe('');
    });
  });
});

describe('administration inputs', () => {
  it('CreateStaffUserInput', async () => {
    const input = fc.record(
      {
        name: text,
        roles: fc.array(role, { maxLength: 6 }),
        email: maybeText,
        phone: maybeText,
        password: maybeText,
        deliveryBoy: fc.option(fc.record({ ratePerDeliveryPaise: fc.option(integer, { nil: null }), area: maybeText }), { nil: null }),
        supplier: fc.option(fc.record({ businessName: text, commissionRateBps: fc.option(integer, { nil: null }) }), { nil: null }),
      },
      { requiredKeys: ['name', 'roles'] },
    );
    await property([input], (value) => attempt(`mutation($input: CreateStaffUserInput!) { createStaffUser(input: $input) { id } }`, { input: value }, admin));
  });

  it('UserFilter, CustomerFilter, ids, cursors and page sizes', async () => {
    const page = fc.record({ first: fc.option(integer, { nil: null }), after: maybeText });
    await property([page, fc.record({ role: fc.option(role, { nil: null }), search: maybeText })], (paging, filter) =>
      attempt(
        `query($first: Int, $after: String, $filter: UserFilter) { users(first: $first, after: $after, filter: $filter) { totalCount edges { node { id } } } }`,
        { ...paging, filter },
        admin,
      ),
    );
    await property([page, fc.record({ area: maybeText, deliveryBoyId: maybeText, phone: maybeText })], (paging, filter) =>
      attempt(
        `query($first: Int, $after: String, $filter: CustomerFilter) { customers(first: $first, after: $after, filter: $filter) { totalCount edges { node { id } } } }`,
        { ...paging, filter },
        admin,
      ),
    );
    await property([text], (id) =>
      attempt(`query($id: ID!) { user(id: $id) { id } customer(id: $id) { id } order(id: $id) { id } subscription(id: $id) { id } }`, { id }, admin),
    );
    await property([text], (identifier) => attempt(`query($i: String!) { lookupUser(identifier: $i) { id } }`, { i: identifier }, admin));
    await property([text, fc.constantFrom('ACTIVE', 'DISABLED', 'ARCHIVED')], (userId, status) =>
      attempt(`mutation($u: ID!, $s: UserStatus!) { setUserStatus(userId: $u, status: $s) { id } }`, { u: userId, s: status }, admin),
    );
  });
});

describe('commerce inputs', () => {
  it('CreateProductInput and CreateCustomerInput', async () => {
    const product = fc.record({ supplierId: fc.oneof(fc.constant(supplierId), text), name: text, unit: text, pricePaise: integer });
    await property([product], (input) => attempt(`mutation($input: CreateProductInput!) { createProduct(input: $input) { id } }`, { input }, admin));
    const newCustomer = fc.record({ name: text, phone: text, address: maybeText, area: maybeText });
    await property([newCustomer], (input) => attempt(`mutation($input: CreateCustomerInput!) { createCustomer(input: $input) { id } }`, { input }, admin));
  });

  it('CreateSubscriptionInput and PlaceOrderInput, with amounts and dates out of range', async () => {
    const productId = (await server.database.prisma.product.create({ data: { supplierId, name: 'Fuzz Milk', unit: '1 l', pricePaise: 6_000 } })).id;
    const id = fc.oneof(fc.constant(productId), text);
    const subscription = fc.record({
      productId: id,
      quantity: integer,
      pattern: fc.constantFrom('DAILY', 'ALTERNATE_DAYS', 'WEEKLY'),
      weekdays: fc.option(fc.array(integer, { maxLength: 9 }), { nil: null }),
      shift: fc.constantFrom('MORNING', 'EVENING'),
      startDate: date,
    });
    await property([subscription], (input) =>
      attempt(`mutation($input: CreateSubscriptionInput!) { createSubscription(input: $input) { id } }`, { input }, customer),
    );
    const order = fc.record({
      items: fc.array(fc.record({ productId: id, quantity: integer }), { maxLength: 5 }),
      deliveryDate: date,
      subscriptionId: maybeText,
    });
    await property([order], (input) => attempt(`mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { id } }`, { input }, customer));
  });

  it('amounts, dates and date-times of the admin operations', async () => {
    await property([text, integer, fc.option(dateTime, { nil: null })], (deliveryBoyId, amountPaise, paidAt) =>
      attempt(
        `mutation($d: ID!, $a: Int!, $p: DateTime) { recordPayout(deliveryBoyId: $d, amountPaise: $a, paidAt: $p) { id } }`,
        { d: deliveryBoyId, a: amountPaise, p: paidAt },
        admin,
      ),
    );
    await property([fc.option(dateTime, { nil: null }), fc.option(dateTime, { nil: null })], (asOf, signupFrom) =>
      attempt(`query($a: DateTime, $f: DateTime) { activationDashboard(asOf: $a, signupFrom: $f) { totalCustomers } }`, { a: asOf, f: signupFrom }, admin),
    );
    await property([text, integer, maybeText], (productId, price, reason) =>
      attempt(
        `mutation($p: ID!, $n: Int!, $r: String) { requestPriceChange(productId: $p, newPricePaise: $n, reason: $r) { id } }`,
        { p: productId, n: price, r: reason },
        admin,
      ),
    );
  });
});

describe('every hostile string, not left to chance', () => {
  it('goes into each free-text argument of sign-in, search and staff creation', async () => {
    const operations: [string, (value: string) => Record<string, unknown>, string?][] = [
      [`mutation($i: String!, $p: String!) { login(identifier: $i, password: $p) { accessToken } }`, (value) => ({ i: value, p: value })],
      [`mutation($i: String!) { requestPasswordReset(identifier: $i) }`, (value) => ({ i: value })],
      [`mutation($p: String!) { requestOtp(phone: $p) { expiresAt } }`, (value) => ({ p: value })],
      [`query($s: String) { users(first: 5, filter: { search: $s }) { totalCount } }`, (value) => ({ s: value }), 'admin'],
      [`query($a: String, $p: String) { customers(first: 5, filter: { area: $a, phone: $p }) { totalCount } }`, (value) => ({ a: value, p: value }), 'admin'],
      [
        `mutation($a: String) { createStaffUser(input: { name: "Fuzz Staff", roles: [DELIVERY_BOY], deliveryBoy: { area: $a } }) { id } }`,
        (value) => ({ a: value }),
        'admin',
      ],
    ];
    for (const value of HOSTILE_TEXT) {
      for (const [query, variables, who] of operations) await attempt(query, variables(value), who === 'admin' ? admin : undefined);
    }
    // Text PostgreSQL cannot store is refused at the edge, naming the variable.
    const nul = await attempt(`mutation($i: String!, $p: String!) { login(identifier: $i, password: $p) { accessToken } }`, {
      i: 'x\u0000',
      p: 'whatever it is',
    });
    expect(nul).toEqual(['BAD_USER_INPUT']);
    const literal = await attempt(`{ users(first: 1, filter: { search: "a\\u0000b" }) { totalCount } }`, {}, admin);
    expect(literal).toEqual(['BAD_USER_INPUT']);
  });
});

describe('afterwards', () => {
  it('the database still keeps its invariants', async () => {
    const db = server.database.prisma;
    expect(await db.user.count({ where: { email: null, phone: null } })).toBe(0);
    const customersWithoutFacet = await db.user.count({ where: { roles: { has: 'CUSTOMER' }, customer: null } });
    expect(customersWithoutFacet).toBe(0);
    expect(await db.product.count({ where: { pricePaise: { lte: 0 } } })).toBe(0);
    const users = await db.user.findMany({ select: { email: true, phone: true, name: true } });
    for (const user of users) {
      if (user.phone) expect(user.phone).toMatch(/^\+91[6-9]\d{9}$/);
      if (user.email) expect(user.email).toBe(user.email.toLowerCase());
      expect(user.name.trim().length).toBeGreaterThan(0);
    }
    const orders = await db.order.findMany({ include: { items: true } });
    for (const order of orders) {
      expect(order.totalPaise).toBe(order.items.reduce((sum, item) => sum + item.quantity * item.unitPricePaise, 0));
      expect(order.items.every((item) => item.quantity > 0)).toBe(true);
    }
  });
});
