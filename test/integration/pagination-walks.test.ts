// Relay paging both ways through the real HTTP server: for each connection a forward walk (`first`/`after`)
// and a backward walk from the end (`last`/`before`), with a row inserted between pages and a page size
// that does not divide the list. Each walk reads every row exactly once, in list order, and the two meet:
// the rows before a forward page's start are the previous forward page.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProduct, makeActor, ok, placeOrder, uniquePhone, type Actor } from '../support/testkit/index.js';
import { startTestServer, type TestServer } from '../support/server.js';

const SIZE = 3;
const INITIAL_ROWS = 7;

interface Page {
  ids: string[];
  cursors: string[];
  totalCount: number;
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
}

interface PageArgs {
  first?: number;
  after?: string | null;
  last?: number;
  before?: string | null;
}

interface ListUnderTest {
  /** Where a new row lands: the end of an oldest-first list, the start of a newest-first one. */
  newRowsAt: 'start' | 'end';
  read(args: PageArgs): Promise<Page>;
  insert(): Promise<string>;
}

const CONNECTION = `totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { ID } }`;
const PAGE_VARIABLES = `$first: Int, $after: String, $last: Int, $before: String`;
const PAGE_ARGUMENTS = `first: $first, after: $after, last: $last, before: $before`;

let server: TestServer;
let admin: Actor;
beforeAll(async () => {
  server = await startTestServer();
  admin = await makeActor(server, ['ADMIN']);
});
afterAll(async () => server?.close());

function pageOf(connection: any, idField = 'id'): Page {
  return {
    ids: connection.edges.map((edge: any) => edge.node[idField]),
    cursors: connection.edges.map((edge: any) => edge.cursor),
    totalCount: connection.totalCount,
    pageInfo: connection.pageInfo,
  };
}

async function read(actor: Actor, query: string, args: PageArgs, variables: Record<string, unknown> = {}) {
  return ok(server, actor, query, { first: null, after: null, last: null, before: null, ...args, ...variables });
}

function chunksFromStart(ids: string[]): string[][] {
  const chunks: string[][] = [];
  for (let index = 0; index < ids.length; index += SIZE) chunks.push(ids.slice(index, index + SIZE));
  return chunks;
}

/** Pages as a backward walk reads them: the last rows first, a short page at the start of the list. */
function chunksFromEnd(ids: string[]): string[][] {
  const chunks: string[][] = [];
  for (let end = ids.length; end > 0; end -= SIZE) chunks.push(ids.slice(Math.max(0, end - SIZE), end));
  return chunks;
}

function expectCursorsOfEdges(page: Page) {
  expect(page.pageInfo.startCursor).toBe(page.cursors[0] ?? null);
  expect(page.pageInfo.endCursor).toBe(page.cursors.at(-1) ?? null);
}

async function walkForward(list: ListUnderTest) {
  const pages: Page[] = [];
  const inserted: string[] = [];
  let after: string | null = null;
  for (let step = 0; step < 20; step += 1) {
    const page = await list.read({ first: SIZE, after });
    pages.push(page);
    if (!page.pageInfo.hasNextPage) break;
    inserted.push(await list.insert());
    after = page.pageInfo.endCursor;
  }
  return { pages, inserted };
}

async function walkBackward(list: ListUnderTest) {
  const pages: Page[] = [];
  const inserted: string[] = [];
  let before: string | null = null;
  for (let step = 0; step < 20; step += 1) {
    const page = await list.read({ last: SIZE, before });
    pages.push(page);
    if (!page.pageInfo.hasPreviousPage) break;
    inserted.push(await list.insert());
    before = page.pageInfo.startCursor;
  }
  return { pages, inserted };
}

async function expectWalksMeet(list: ListUnderTest) {
  for (let index = 0; index < INITIAL_ROWS; index += 1) await list.insert();

  const forward = await walkForward(list);
  const afterForward = (await list.read({ first: 100 })).ids;
  // Rows inserted at the end are ahead of a forward walk and read by it; rows inserted at the start are behind it.
  const forwardExpected = list.newRowsAt === 'end' ? afterForward : afterForward.filter((id) => !forward.inserted.includes(id));
  expect(forward.pages.map((page) => page.ids)).toEqual(chunksFromStart(forwardExpected));
  expect(forward.inserted).toHaveLength(forward.pages.length - 1);
  forward.pages.forEach((page, index) => {
    expectCursorsOfEdges(page);
    expect(page.totalCount).toBe(INITIAL_ROWS + index);
    expect(page.pageInfo.hasPreviousPage).toBe(index > 0);
    expect(page.pageInfo.hasNextPage).toBe(index < forward.pages.length - 1);
  });
  // They meet: the rows just before a forward page's start are the previous forward page, and the rows
  // between two forward pages' cursors are the page between them.
  for (let index = 1; index < forward.pages.length; index += 1) {
    const previous = await list.read({ last: SIZE, before: forward.pages[index].pageInfo.startCursor });
    expect(previous.ids).toEqual(forward.pages[index - 1].ids);
    // Rows inserted at the start since the walk began precede the first page too.
    expect(previous.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: index > 1 || list.newRowsAt === 'start' });
  }
  const between = await list.read({ after: forward.pages[0].pageInfo.endCursor, before: forward.pages[2].pageInfo.startCursor });
  expect(between.ids).toEqual(forward.pages[1].ids);
  expect(between.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: true });

  const backward = await walkBackward(list);
  const afterBackward = (await list.read({ first: 100 })).ids;
  const backwardExpected = list.newRowsAt === 'start' ? afterBackward : afterBackward.filter((id) => !backward.inserted.includes(id));
  expect(backward.pages.map((page) => page.ids)).toEqual(chunksFromEnd(backwardExpected));
  expect(backward.inserted).toHaveLength(backward.pages.length - 1);
  backward.pages.forEach((page, index) => {
    expectCursorsOfEdges(page);
    expect(page.pageInfo.hasNextPage).toBe(index > 0);
    expect(page.pageInfo.hasPreviousPage).toBe(index < backward.pages.length - 1);
  });
  // Both walks read the rows that were there before them: none twice, none missed.
  expect(new Set(forward.pages.flatMap((page) => page.ids)).size).toBe(forwardExpected.length);
  expect(new Set(backward.pages.flatMap((page) => page.ids)).size).toBe(backwardExpected.length);
  // `before` alone is the default page just before the cursor; `last: 0` says truthfully whether rows precede.
  const lastRow = await list.read({ last: 1 });
  expect((await list.read({ before: lastRow.pageInfo.startCursor })).ids).toEqual(afterBackward.slice(-21, -1));
  expect((await list.read({ last: 0, before: lastRow.pageInfo.startCursor })).pageInfo).toEqual({
    hasNextPage: true,
    hasPreviousPage: true,
    startCursor: null,
    endCursor: null,
  });
  const firstRow = await list.read({ first: 1 });
  expect((await list.read({ last: 0, before: firstRow.pageInfo.startCursor })).pageInfo.hasPreviousPage).toBe(false);
  expect((await list.read({ first: 0, after: lastRow.pageInfo.endCursor })).pageInfo.hasNextPage).toBe(false);
  expect((await list.read({ first: 0 })).pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false, endCursor: null });
}

const tick = () => server.clock.advance(1_000);

describe('paging forward and backward', () => {
  it('customers (oldest first, root list)', async () => {
    const area = `Walk ${Date.now()}`;
    const query = `query(${PAGE_VARIABLES}, $area: String) { customers(${PAGE_ARGUMENTS}, filter: { area: $area }) { ${CONNECTION.replace('ID', 'id')} } }`;
    let count = 0;
    await expectWalksMeet({
      newRowsAt: 'end',
      read: async (args) => pageOf((await read(admin, query, args, { area })).customers),
      insert: async () => {
        tick();
        const data = await ok(server, admin, `mutation($input: CreateCustomerInput!) { createCustomer(input: $input) { id } }`, {
          input: { name: `Walker ${++count}`, phone: uniquePhone(), area },
        });
        return data.createCustomer.id;
      },
    });
  });

  it("a supplier's products (oldest first, root list scoped to the viewer)", async () => {
    const supplier = await makeActor(server, ['SUPPLIER']);
    const query = `query(${PAGE_VARIABLES}) { products(${PAGE_ARGUMENTS}) { ${CONNECTION.replace('ID', 'id')} } }`;
    await expectWalksMeet({
      newRowsAt: 'end',
      read: async (args) => pageOf((await read(supplier, query, args)).products),
      insert: async () => {
        tick();
        return createProduct(server, admin, supplier.supplierId!, 5_000);
      },
    });
  });

  it("a customer's own orders (newest first, Me)", async () => {
    const customer = await makeActor(server, ['CUSTOMER']);
    const supplier = await makeActor(server, ['SUPPLIER']);
    const product = await createProduct(server, admin, supplier.supplierId!, 3_000);
    const query = `query(${PAGE_VARIABLES}) { me { customer { orders(${PAGE_ARGUMENTS}) { ${CONNECTION.replace('ID', 'id')} } } } }`;
    await expectWalksMeet({
      newRowsAt: 'start',
      read: async (args) => pageOf((await read(customer, query, args)).me.customer.orders),
      insert: async () => {
        tick();
        return placeOrder(server, customer, [{ productId: product, quantity: 1 }]);
      },
    });
  });

  it("customers' orders nested in the customers list (one page statement for all the parents)", async () => {
    const area = `Nested ${Date.now()}`;
    const customer = await makeActor(server, ['CUSTOMER'], { area });
    await makeActor(server, ['CUSTOMER'], { area }); // a parent without orders in the same statement
    const supplier = await makeActor(server, ['SUPPLIER']);
    const product = await createProduct(server, admin, supplier.supplierId!, 2_500);
    const query = `query(${PAGE_VARIABLES}, $area: String) { customers(first: 2, filter: { area: $area }) { edges { node { id
      orders(${PAGE_ARGUMENTS}) { ${CONNECTION.replace('ID', 'id')} } } } } }`;
    await expectWalksMeet({
      newRowsAt: 'start',
      read: async (args) => {
        const nodes = (await read(admin, query, args, { area })).customers.edges.map((edge: any) => edge.node);
        expect(nodes).toHaveLength(2);
        const empty = nodes.find((node: any) => node.id !== customer.customerId).orders;
        expect(empty).toEqual({ totalCount: 0, pageInfo: expect.objectContaining({ startCursor: null, endCursor: null }), edges: [] });
        return pageOf(nodes.find((node: any) => node.id === customer.customerId).orders);
      },
      insert: async () => {
        tick();
        return placeOrder(server, customer, [{ productId: product, quantity: 2 }]);
      },
    });
  });

  it("a customer's subscriptions (oldest first, nested)", async () => {
    const customer = await makeActor(server, ['CUSTOMER']);
    const supplier = await makeActor(server, ['SUPPLIER']);
    const product = await createProduct(server, admin, supplier.supplierId!, 4_000);
    const query = `query(${PAGE_VARIABLES}) { me { customer { subscriptions(${PAGE_ARGUMENTS}) { ${CONNECTION.replace('ID', 'id')} } } } }`;
    await expectWalksMeet({
      newRowsAt: 'end',
      read: async (args) => pageOf((await read(customer, query, args)).me.customer.subscriptions),
      insert: async () => {
        tick();
        const data = await ok(server, customer, `mutation($input: CreateSubscriptionInput!) { createSubscription(input: $input) { id } }`, {
          input: { productId: product, quantity: 1, pattern: 'DAILY', shift: 'MORNING', startDate: '2026-06-20' },
        });
        return data.createSubscription.id;
      },
    });
  });

  it("the supplier portal's orders (newest first)", async () => {
    const supplier = await makeActor(server, ['SUPPLIER']);
    const product = await createProduct(server, admin, supplier.supplierId!, 6_000);
    const customer = await makeActor(server, ['CUSTOMER']);
    const query = `query(${PAGE_VARIABLES}) { me { supplier { orders(${PAGE_ARGUMENTS}) { ${CONNECTION.replace('ID', 'orderId')} } } } }`;
    await expectWalksMeet({
      newRowsAt: 'start',
      read: async (args) => pageOf((await read(supplier, query, args)).me.supplier.orders, 'orderId'),
      insert: async () => {
        tick();
        return placeOrder(server, customer, [{ productId: product, quantity: 1 }]);
      },
    });
  });

  it('users (oldest first, admin list)', async () => {
    const marker = `Pager${Date.now()}`;
    const query = `query(${PAGE_VARIABLES}, $search: String) { users(${PAGE_ARGUMENTS}, filter: { search: $search }) { ${CONNECTION.replace('ID', 'id')} } }`;
    let count = 0;
    await expectWalksMeet({
      newRowsAt: 'end',
      read: async (args) => pageOf((await read(admin, query, args, { search: marker })).users),
      insert: async () => {
        tick();
        const user = await server.database.prisma.user.create({
          data: { name: `${marker} ${++count}`, roles: ['MARKETING_STAFF'], createdAt: server.clock.now() },
        });
        return user.id;
      },
    });
  });
});

describe('statements', () => {
  it('a page read backward runs as many statements as one read forward: one per page, reversed in the database', async () => {
    const area = `Counted ${Date.now()}`;
    const supplier = await makeActor(server, ['SUPPLIER']);
    const product = await createProduct(server, admin, supplier.supplierId!, 2_000);
    for (let index = 0; index < 2; index += 1) {
      const customer = await makeActor(server, ['CUSTOMER'], { area });
      for (let order = 0; order < 5; order += 1) {
        tick();
        await placeOrder(server, customer, [{ productId: product, quantity: 1 }]);
      }
    }
    const query = `query(${PAGE_VARIABLES}, $area: String) { customers(${PAGE_ARGUMENTS}, filter: { area: $area }) { totalCount pageInfo { startCursor endCursor }
      edges { node { id orders(${PAGE_ARGUMENTS}) { totalCount edges { node { id items { quantity product { name } } } } } } } } }`;
    const portal = `query(${PAGE_VARIABLES}) { me { supplier { orders(${PAGE_ARGUMENTS}) { totalCount pageInfo { startCursor endCursor } edges { node { orderId } } } } } }`;
    const send = async (text: string, actor: Actor, args: PageArgs, variables: Record<string, unknown> = {}) => {
      const response = await server.gql(text, { first: null, after: null, last: null, before: null, ...args, ...variables }, { token: await actor.token() });
      expect(response.errors).toBeUndefined();
      return response;
    };
    const forward = await send(query, admin, { first: 2 }, { area });
    const backward = await send(query, admin, { last: 2 }, { area });
    const backwardFromCursor = await send(query, admin, { last: 1, before: forward.data.customers.pageInfo.endCursor }, { area });
    expect(backward.statements).toBe(forward.statements);
    expect(backwardFromCursor.statements).toBe(forward.statements);
    const portalForward = await send(portal, supplier, { first: 4 });
    const portalBackward = await send(portal, supplier, { last: 4, after: portalForward.data.me.supplier.orders.pageInfo.endCursor });
    expect(portalBackward.data.me.supplier.orders.edges).toHaveLength(4);
    expect(portalBackward.statements).toBe(portalForward.statements);
  });
});

describe('page arguments', () => {
  it('refuses first with last, and last beyond 100, naming the argument', async () => {
    const both = await server.gql(`{ customers(first: 1, last: 1) { totalCount } }`, {}, { token: await admin.token() });
    expect(both.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'last' } });
    expect(both.errors?.[0].message).toMatch(/^last: cannot be combined with first/);
    const tooMany = await server.gql(`{ products(last: 101) { totalCount } }`, {}, { token: await admin.token() });
    expect(tooMany.errors?.[0]).toMatchObject({ message: 'last: must be between 0 and 100', extensions: { code: 'BAD_USER_INPUT' } });
  });
});
