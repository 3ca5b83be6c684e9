// Statements per request for every query of the contract, as each role that may send it sends it: the
// session check, then one statement per wave of reads (src/db/read-batch.ts). The counts are exact: a read
// that leaves its wave, or a loader that goes back to one statement per list, changes them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contractOperation } from '../support/contract.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { assign, createProduct, makeActor, ok, placeOrder, type Actor } from '../support/testkit/index.js';

type RoleName = 'CUSTOMER' | 'DELIVERY_BOY' | 'SUPPLIER' | 'MARKETING_STAFF' | 'ADMIN';

let server: TestServer;
let actors: Record<RoleName, Actor>;

beforeAll(async () => {
  server = await startTestServer();
  const admin = await makeActor(server, ['ADMIN']);
  const supplier = await makeActor(server, ['SUPPLIER']);
  const deliveryBoy = await makeActor(server, ['DELIVERY_BOY']);
  const customer = await makeActor(server, ['CUSTOMER']);
  const marketing = await makeActor(server, ['MARKETING_STAFF']);
  actors = { ADMIN: admin, SUPPLIER: supplier, DELIVERY_BOY: deliveryBoy, CUSTOMER: customer, MARKETING_STAFF: marketing };
  const productId = await createProduct(server, admin, supplier.supplierId!, 2_500);
  await assign(server, admin, customer.customerId!, deliveryBoy.deliveryBoyId!);
  for (let index = 0; index < 3; index += 1) {
    await placeOrder(server, customer, [{ productId, quantity: 2 }]);
    await ok(server, customer, contractOperation('CreateSubscription'), {
      input: { productId, quantity: 1, pattern: 'DAILY', shift: 'MORNING', startDate: '2026-06-20' },
    });
  }
  await ok(server, supplier, contractOperation('RequestPriceChange'), { productId, newPricePaise: 2_600, reason: 'feed prices' });
});
afterAll(async () => server?.close());

// [operation, variables, statements by role]. Me: the session check brings the user, facets and lock; a
// customer's and a delivery boy's facet lists are one more. Root lists: the page and its count are one
// statement, the rows' relations one more. A delivery boy reads CustomerActivation without its history
// (masked), so his wave has nothing to read. A route brings each order's items and customer with it.
// Me of a customer or delivery boy, MyRoute and the supplier portal's first page are planned
// (src/server/operation-plans.ts): the session check and the plan's one statement.
const QUERIES: [string, () => Record<string, unknown>, Partial<Record<RoleName, number>>][] = [
  ['Me', () => ({}), { CUSTOMER: 2, DELIVERY_BOY: 2, SUPPLIER: 1, MARKETING_STAFF: 1, ADMIN: 1 }],
  ['LookupUser', () => ({ identifier: actors.CUSTOMER.phone }), { MARKETING_STAFF: 3, ADMIN: 3 }],
  ['Users', () => ({ first: 20 }), { ADMIN: 3 }],
  ['Customers', () => ({ first: 20 }), { DELIVERY_BOY: 2, MARKETING_STAFF: 3, ADMIN: 3 }],
  ['Products', () => ({ first: 20 }), { CUSTOMER: 3, DELIVERY_BOY: 3, SUPPLIER: 3, MARKETING_STAFF: 3, ADMIN: 3 }],
  ['MyRoute', () => ({}), { DELIVERY_BOY: 2 }],
  ['SupplierPortal', () => ({ first: 20 }), { SUPPLIER: 2 }],
  ['PendingPriceChanges', () => ({}), { SUPPLIER: 3, ADMIN: 3 }],
  ['ActivationDashboard', () => ({}), { ADMIN: 3 }],
  ['CustomerActivation', () => ({ id: actors.CUSTOMER.customerId }), { CUSTOMER: 3, DELIVERY_BOY: 2, MARKETING_STAFF: 3, ADMIN: 3 }],
  ['RoleAudit', () => ({}), { ADMIN: 1 }],
];

const cases = QUERIES.flatMap(([name, variables, counts]) =>
  Object.entries(counts).map(([role, statements]) => ({ name, role: role as RoleName, variables, statements })),
);

describe('statements per contract query and role', () => {
  it.each(cases)('$name as $role: $statements', async ({ name, role, variables, statements }) => {
    const response = await server.gql(contractOperation(name), variables(), { token: await actors[role].token() });
    expect(response.status).toBe(200);
    expect(response.data).toBeTruthy();
    // Fields a role may not read are masked (null + FORBIDDEN at their path), never anything else.
    expect((response.errors ?? []).filter((error) => error.extensions?.code !== 'FORBIDDEN')).toEqual([]);
    expect(response.statements).toBe(statements);
  });
});
