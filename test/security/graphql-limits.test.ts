// SPEC §8 limits against the real HTTP server: depth (also through fragments), aliases, tokens, cost,
// body size, batches, GET mutations and CSRF. A rejected document never names the limit it broke.
import { getNamedType, isObjectType, Kind, OperationTypeNode, parse, specifiedRules, validate } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GRAPHQL_LIMITS, LIMIT_MESSAGE, limitValidationRules, queryCost } from '../../src/server/limits.js';
import { createSignedInUser, STRONG_PASSWORD, uniqueEmail } from '../support/testkit/index.js';
import { contractSource } from '../support/contract.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { codeOf, send } from './http.helpers.js';

let server: TestServer;
let adminToken: string;
beforeAll(async () => {
  server = await startTestServer();
  adminToken = (await createSignedInUser(server, ['ADMIN'])).token;
});
afterAll(async () => server?.close());

function expectLimitRejection(response: { status: number; data?: unknown; errors?: { message: string; extensions?: Record<string, any> }[] }) {
  expect(response.errors, JSON.stringify(response)).toHaveLength(1);
  expect(response.errors![0]).toMatchObject({ message: LIMIT_MESSAGE, extensions: { code: 'BAD_USER_INPUT' } });
  expect(response.data).toBeUndefined();
  expect(response.status).toBe(400);
  // Nothing in the answer tells the attacker where the line is.
  expect(JSON.stringify(response.errors)).not.toMatch(/\d/);
}

/** Orders nested through their customers: each level adds customer → orders → edges → node. */
const nestedOrders = (levels: number, leaf: string) => {
  let selection = leaf;
  for (let level = 0; level < levels; level += 1) selection = `customer { orders(first: 1) { edges { node { ${selection} } } } }`;
  return selection;
};

describe('depth', () => {
  it('accepts depth 10 and refuses depth 11, written inline', async () => {
    // me(1) customer(2) orders(3) edges(4) node(5) customer(6) orders(7) edges(8) node(9) id(10)
    const ten = `{ me { customer { orders(first: 1) { edges { node { ${nestedOrders(1, 'id')} } } } } } }`;
    const eleven = `{ me { customer { orders(first: 1) { edges { node { ${nestedOrders(1, 'customer { id }')} } } } } } }`;
    const accepted = await server.gql(ten, {}, { token: adminToken });
    expect(accepted.errors).toBeUndefined();
    expectLimitRejection(await server.gql(eleven, {}, { token: adminToken }));
  });

  it('follows nested fragments and inline fragments, which add no depth of their own', async () => {
    const fragments = `
      fragment Deep on Order { customer { ...Deeper } }
      fragment Deeper on Customer { orders(first: 1) { edges { node { ... on Order { ...Deepest } } } } }
      fragment Deepest on Order { customer { id } }`;
    const tooDeep = `query { me { customer { orders(first: 1) { edges { node { ...Deep } } } } } } ${fragments}`;
    expectLimitRejection(await server.gql(tooDeep, {}, { token: adminToken }));
    const shallowEnough = `query { me { customer { orders(first: 1) { edges { node { ...Fine } } } } } }
      fragment Fine on Order { customer { ... on Customer { orders(first: 1) { edges { node { id } } } } } }`;
    expect((await server.gql(shallowEnough, {}, { token: adminToken })).errors).toBeUndefined();
  });
});

describe('aliases', () => {
  const aliased = (count: number) => `{ ${Array.from({ length: count }, (_, index) => `a${index}: me { id }`).join(' ')} }`;

  it('accepts 15 aliases and refuses 16, also when they hide in fragments', async () => {
    expect((await server.gql(aliased(15), {}, { token: adminToken })).errors).toBeUndefined();
    expectLimitRejection(await server.gql(aliased(16), {}, { token: adminToken }));
    // Eight aliases in a fragment spread twice make sixteen.
    const viaFragments = `{ ...Eight again: me { id } } fragment Eight on Query { ${Array.from({ length: 8 }, (_, index) => `x${index}: me { id }`).join(' ')} }`;
    expect((await server.gql(viaFragments, {}, { token: adminToken })).errors).toBeUndefined();
    const twice = `{ ...Eight ... on Query { ...Eight } } fragment Eight on Query { ${Array.from({ length: 8 }, (_, index) => `x${index}: me { id }`).join(' ')} }`;
    expectLimitRejection(await server.gql(twice, {}, { token: adminToken }));
  });

  it('refuses an aliased login batch beyond the limit before a single password is checked', async () => {
    const email = uniqueEmail('alias');
    const logins = Array.from(
      { length: 40 },
      (_, index) => `l${index}: login(identifier: "${email}", password: "${STRONG_PASSWORD} ${index}") { accessToken }`,
    ).join(' ');
    expectLimitRejection(await server.gql(`mutation { ${logins} }`));
    expect(await server.database.prisma.loginCounter.count({ where: { key: { contains: email } } })).toBe(0);
  });
});

describe('tokens', () => {
  it('accepts 1,995 tokens and refuses 2,001', async () => {
    const withFields = (count: number) => `{ me { ${'id '.repeat(count)}} }`; // 5 tokens around the fields
    expect((await server.gql(withFields(1990), {}, { token: adminToken })).errors).toBeUndefined();
    expectLimitRejection(await server.gql(withFields(1996), {}, { token: adminToken }));
  });
});

describe('cost', () => {
  it('refuses huge pages and pages of pages, whether first is a literal or a variable', async () => {
    expectLimitRejection(await server.gql(`{ products(first: 100000) { edges { node { id name } } } }`, {}, { token: adminToken }));
    const byVariable = `query($first: Int) { users(first: $first) { edges { node { id name customer { id } } } } }`;
    expectLimitRejection(await server.gql(byVariable, { first: 100_000 }, { token: adminToken }));
    expect((await server.gql(byVariable, { first: 100 }, { token: adminToken })).errors).toBeUndefined();
    // Each page is within the page limit, but 100 × 100 rows is not a request a frontend makes.
    const nested = `{ products(first: 100) { edges { node { supplier { orders(first: 100) { edges { node { orderId lines { quantity } } } } } } } } }`;
    expectLimitRejection(await server.gql(nested, {}, { token: adminToken }));
  });

  it('refuses a negative or oversized first with a clean BAD_USER_INPUT', async () => {
    for (const first of [-1, 101, 2_147_483_647]) {
      const response = await server.gql(`query($first: Int) { customers(first: $first) { totalCount } }`, { first }, { token: adminToken });
      expect(codeOf(response), String(first)).toBe('BAD_USER_INPUT');
    }
    const huge = await server.gql(`query($first: Int) { customers(first: $first) { totalCount } }`, { first: 1e12 }, { token: adminToken });
    expect(codeOf(huge)).toBe('BAD_USER_INPUT');
  });

  it('costs a connection without first as the default page it returns, and last like first', async () => {
    // 5,820 orders (930 KB) were answered for fifteen of these without `first`, and refused with `first: 20`.
    const orders = (page: string) =>
      `customers${page} { edges { node { orders${page} { edges { node { id total { paise } items { quantity product { name } } } } } } } }`;
    const aliased = (page: string) => `{ ${Array.from({ length: 15 }, (_, index) => `c${index}: ${orders(page)}`).join(' ')} }`;
    expectLimitRejection(await server.gql(aliased(''), {}, { token: adminToken }));
    expectLimitRejection(await server.gql(aliased('(first: 20)'), {}, { token: adminToken }));
    expectLimitRejection(await server.gql(aliased('(last: 20)'), {}, { token: adminToken }));
    // items { quantity product { name } } 4, node 8, edges 9; orders 1 + 20 × 9; customers 1 + 20 × (182 + 1).
    const cost = (query: string, variables: Record<string, unknown> = {}) => queryCost(server.app.schema, parse(query), variables);
    expect(cost(`{ ${orders('')} }`)).toBe(3_661);
    expect(cost(`{ ${orders('(first: 20)')} }`)).toBe(3_661);
    expect(cost(`{ ${orders('(last: 20)')} }`)).toBe(3_661);
    expect(cost(`query($last: Int) { products(last: $last) { edges { node { id } } } }`, { last: 100 })).toBe(1 + 100 * 3);
    expect(cost(`{ products(before: "x") { edges { node { id } } } }`)).toBe(1 + 20 * 3);
    expect(cost(`{ products(first: 0) { totalCount } }`)).toBe(1);
    // Every connection of the schema takes the four page arguments, so the estimator sees it as a page.
    const connections = Object.values(server.app.schema.getTypeMap())
      .filter(isObjectType)
      .flatMap((type) => Object.values(type.getFields()).map((field) => ({ name: `${type.name}.${field.name}`, field })))
      .filter(({ field }) => getNamedType(field.type).name.endsWith('Connection'));
    expect(connections.map(({ name }) => name).sort()).toEqual([
      'Customer.orders',
      'Customer.subscriptions',
      'Query.auditLog',
      'Query.customers',
      'Query.mySessions',
      'Query.products',
      'Query.users',
      'Supplier.orders',
      'User.sessions',
    ]);
    for (const { name, field } of connections) {
      const pageArguments = field.args.map((argument) => argument.name).filter((argument) => ['first', 'after', 'last', 'before'].includes(argument));
      expect(pageArguments.sort(), name).toEqual(['after', 'before', 'first', 'last']);
    }
  });

  it('lets the heaviest contract operation through', async () => {
    const supplier = await createSignedInUser(server, ['SUPPLIER']);
    const portal = `query SupplierPortal($first: Int) { me { supplier { id products { id name active price { paise formatted } }
      orders(first: $first) { totalCount pageInfo { hasNextPage endCursor } edges { node { orderId placedAt status customerName customerArea
        lines { quantity unitPrice { paise formatted } lineTotal { paise formatted } product { id name } } supplierTotal { paise formatted } } } }
      month: earnings(period: MONTH) { period gross { paise } commission { paise } net { paise } } } } }`;
    expect((await server.gql(portal, { first: 100 }, { token: supplier.token })).errors).toBeUndefined();
  });
});

describe('cursors', () => {
  const uuid = '01900000-0000-7000-8000-000000000000';
  const instant = '2026-06-15T06:30:00.000Z';
  const crafted: [string, (string | number | null)[]][] = [
    ['not a date', ['not a date', 'zz']],
    ['not a uuid', [instant, 'zz']],
    ['a number for a date', [1_781_505_000_000, uuid]],
    ['year 0', ['0000-01-01T00:00:00.000Z', uuid]],
    ['February 30', ['2026-02-30T00:00:00.000Z', uuid]],
    ['null for a date', [null, uuid]],
    ['a key part too many', [instant, uuid, 'x']],
  ];
  const encode = (key: unknown) => Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
  const connections: [string, string, 'admin' | 'customer' | 'supplier'][] = [
    ['customers', 'query($after: String, $before: String) { customers(first: 1, after: $after, before: $before) { totalCount } }', 'admin'],
    ['products', 'query($after: String, $before: String) { products(first: 1, after: $after, before: $before) { totalCount } }', 'admin'],
    ['users', 'query($after: String, $before: String) { users(last: 1, after: $after, before: $before) { totalCount } }', 'admin'],
    [
      'customer orders',
      'query($after: String, $before: String) { me { customer { orders(first: 1, after: $after, before: $before) { totalCount } } } }',
      'customer',
    ],
    [
      'customer subscriptions',
      'query($after: String, $before: String) { me { customer { subscriptions(last: 1, after: $after, before: $before) { totalCount } } } }',
      'customer',
    ],
    [
      'supplier orders',
      'query($after: String, $before: String) { me { supplier { orders(first: 1, after: $after, before: $before) { totalCount } } } }',
      'supplier',
    ],
  ];

  it('refuses a crafted after cursor as bad input, where it used to reach the database (a 500)', async () => {
    const after = encode(['not a date', 'zz']);
    const customers = await server.gql(`query($after: String) { customers(first: 1, after: $after) { totalCount } }`, { after }, { token: adminToken });
    expect(customers.errors).toEqual([
      { message: 'after: is not a valid cursor', path: ['customers'], locations: expect.anything(), extensions: { code: 'BAD_USER_INPUT', field: 'after' } },
    ]);
    const customer = (await createSignedInUser(server, ['CUSTOMER'])).token;
    const orders = await server.gql(
      `query($after: String) { me { customer { orders(first: 1, after: $after) { totalCount } } } }`,
      { after: encode(['2026-06-15T06:30:00.000Z', 'zz']) },
      { token: customer },
    );
    expect(orders.errors?.[0]).toMatchObject({ message: 'after: is not a valid cursor', extensions: { code: 'BAD_USER_INPUT', field: 'after' } });
  });

  it('answers every crafted cursor with BAD_USER_INPUT naming after or before, on every connection', async () => {
    const tokens = {
      admin: adminToken,
      customer: (await createSignedInUser(server, ['CUSTOMER'])).token,
      supplier: (await createSignedInUser(server, ['SUPPLIER'])).token,
    };
    for (const [name, query, caller] of connections) {
      for (const [what, key] of crafted) {
        for (const side of ['after', 'before'] as const) {
          const response = await server.gql(query, { [side]: encode(key) }, { token: tokens[caller] });
          const label = `${name}, ${side}: ${what}`;
          expect(response.errors, label).toHaveLength(1);
          expect(response.errors![0], label).toMatchObject({ message: `${side}: is not a valid cursor`, extensions: { code: 'BAD_USER_INPUT', field: side } });
          expect(response.errors![0].extensions, label).not.toHaveProperty('errorId');
        }
      }
      // A good cursor of the same shape is a page, not an error.
      const valid = await server.gql(query, { after: encode([instant, uuid]), before: encode(['2026-06-16T06:30:00.000Z', uuid]) }, { token: tokens[caller] });
      expect(valid.errors, name).toBeUndefined();
    }
  });
});

describe('the contract', () => {
  it('stays within every limit, pages of 100 included', async () => {
    const source = contractSource();
    const document = parse(source, { maxTokens: GRAPHQL_LIMITS.tokens * 10 });
    const schema = server.app.schema;
    expect(validate(schema, document, [...specifiedRules, ...limitValidationRules()])).toEqual([]);
    const queries = document.definitions.flatMap((definition) =>
      definition.kind === Kind.OPERATION_DEFINITION && definition.operation === OperationTypeNode.QUERY ? [definition.name!.value] : [],
    );
    expect(queries.length).toBeGreaterThan(5);
    for (const name of queries) {
      const operation = document.definitions.find((definition) => definition.kind === Kind.OPERATION_DEFINITION && definition.name?.value === name)!;
      const single = { ...document, definitions: [operation, ...document.definitions.filter((definition) => definition.kind === Kind.FRAGMENT_DEFINITION)] };
      expect(parse(source.slice(operation.loc!.start, operation.loc!.end), { maxTokens: GRAPHQL_LIMITS.tokens })).toBeTruthy();
      // As the apps send them: pages of the default size (no `first`), and the largest pages they ask for.
      const variables = { id: '01900000-0000-7000-8000-000000000000', identifier: 'a@b.in' };
      expect(queryCost(schema, single, variables, name), name).toBeLessThanOrEqual(GRAPHQL_LIMITS.cost);
      expect(queryCost(schema, single, { ...variables, first: 100 }, name), name).toBeLessThanOrEqual(GRAPHQL_LIMITS.cost);
    }
  });
});

describe('HTTP', () => {
  const post = (body: string, headers: Record<string, string> = { 'content-type': 'application/json' }) => send(server.url, { method: 'POST', headers, body });

  it('refuses a body over 100 KB, declared or streamed', async () => {
    const big = JSON.stringify({ query: `{ me { id } }`, variables: { padding: 'x'.repeat(101 * 1024) } });
    const answer = await post(big);
    expect(answer.status).toBe(413);
    expect(answer.json.errors[0].extensions.code).toBe('BAD_REQUEST');
    expect(answer.text).not.toMatch(/\d{3,}/);
    const justUnder = JSON.stringify({ query: `{ __typename }`, variables: { padding: 'x'.repeat(99 * 1024) } });
    expect((await post(justUnder)).json.data).toEqual({ __typename: 'Query' });
  });

  it('refuses JSON-array batches without running any of them', async () => {
    const email = uniqueEmail('batch');
    const register = {
      query: `mutation($input: RegisterInput!) { register(input: $input) { accessToken } }`,
      variables: { input: { name: 'Batch', password: STRONG_PASSWORD, email } },
    };
    const answer = await post(JSON.stringify([register, register]));
    expect(answer.status).toBe(400);
    expect(await server.database.prisma.user.count({ where: { email } })).toBe(0);
  });

  it('runs queries over GET with a preflight header, never mutations', async () => {
    const query = new URLSearchParams({ query: `{ __typename }` });
    const get = await send(`${server.url}?${query.toString()}`, { headers: { 'apollo-require-preflight': 'true' } });
    expect(get.json.data).toEqual({ __typename: 'Query' });
    const mutation = new URLSearchParams({ query: `mutation { logoutAll }` });
    const refused = await send(`${server.url}?${mutation.toString()}`, {
      headers: { 'apollo-require-preflight': 'true', authorization: `Bearer ${adminToken}` },
    });
    expect(refused.status).toBe(405);
    expect(refused.json.data).toBeUndefined();
    // The admin's session survived: the GET did not run.
    expect((await server.gql(`{ me { id } }`, {}, { token: adminToken })).errors).toBeUndefined();
  });

  it('refuses simple (CSRF-able) requests: text/plain POST and GET without a preflight header', async () => {
    const email = uniqueEmail('csrf');
    const body = JSON.stringify({
      query: `mutation($input: RegisterInput!) { register(input: $input) { accessToken } }`,
      variables: { input: { name: 'Csrf', password: STRONG_PASSWORD, email } },
    });
    for (const contentType of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      const answer = await post(body, { 'content-type': contentType });
      expect(answer.status, contentType).toBe(400);
      expect(answer.text, contentType).toMatch(/preflight|CSRF/i);
    }
    expect(await server.database.prisma.user.count({ where: { email } })).toBe(0);
    const query = new URLSearchParams({ query: `{ __typename }` });
    expect((await send(`${server.url}?${query.toString()}`, {})).status).toBe(400);
  });

  it('answers malformed JSON and a missing query as refused requests', async () => {
    const broken = await post('{"query": ');
    expect(broken.status).toBe(400);
    expect(broken.json.errors[0].extensions.code).toBe('BAD_REQUEST');
    const empty = await post('{}');
    expect(empty.status).toBe(400);
    expect(empty.json.errors[0].extensions.code).toBe('BAD_REQUEST');
    const notAnObject = await post('"just a string"');
    expect(notAnObject.status).toBe(400);
  });
});
