// Statements per request for the contract's mutations, as the role that sends each sends it: the session
// check, the transaction (BEGIN and COMMIT are statements too), its reads and writes, and the reads of the
// answer. Counted exactly, like the queries' (contract-statements.test.ts): a write that starts going row by
// row, or a check that reads twice, changes them. They are well above a query's: each is the mutation as it
// stands (docs/benchmarks.md), not a target.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contractOperation } from '../support/contract.js';
import { startTestServer, type TestServer } from '../support/server.js';
import {
  assign,
  createProduct,
  createSignedInUser,
  makeActor,
  ok,
  placeOrder,
  STRONG_PASSWORD,
  uniqueEmail,
  uniquePhone,
  type Actor,
} from '../support/testkit/index.js';

let server: TestServer;
let admin: Actor;
let supplier: Actor;
let deliveryBoy: Actor;
let customer: Actor;
let marketing: Actor;
let productId: string;

beforeAll(async () => {
  server = await startTestServer();
  admin = await makeActor(server, ['ADMIN']);
  supplier = await makeActor(server, ['SUPPLIER']);
  deliveryBoy = await makeActor(server, ['DELIVERY_BOY']);
  customer = await makeActor(server, ['CUSTOMER']);
  marketing = await makeActor(server, ['MARKETING_STAFF']);
  productId = await createProduct(server, admin, supplier.supplierId!, 2_500);
  await assign(server, admin, customer.customerId!, deliveryBoy.deliveryBoyId!);
});
afterAll(async () => server?.close());

interface Sent {
  /** Who sends it: an actor, a signed-in user's token, or nobody (a public mutation). */
  token: string | null;
  variables: Record<string, unknown>;
}

const as = async (actor: Actor, variables: Record<string, unknown> = {}): Promise<Sent> => ({ token: await actor.token(), variables });
const anonymous = (variables: Record<string, unknown>): Sent => ({ token: null, variables });
/** A new customer with a password, signed in: what the sign-in mutations are sent about. */
const withCustomer = async (send: (user: Awaited<ReturnType<typeof createSignedInUser>>) => Sent): Promise<Sent> =>
  send(await createSignedInUser(server, ['CUSTOMER']));

// [operation, role, how to send it (made fresh for each case), statements on each database]. PostgreSQL runs
// one more in most: its transactions' BEGIN goes through the counted driver, PGlite's does not.
const MUTATIONS: [string, string, () => Promise<Sent>, Record<'pglite' | 'postgres', number>][] = [
  [
    'Register',
    'anonymous',
    async () => anonymous({ input: { name: 'New Customer', password: STRONG_PASSWORD, email: uniqueEmail('register') } }),
    { pglite: 13, postgres: 15 },
  ],
  ['Login', 'anonymous', async () => withCustomer((user) => anonymous({ identifier: user.email, password: user.password })), { pglite: 14, postgres: 15 }],
  ['RequestOtp', 'anonymous', async () => anonymous({ phone: uniquePhone() }), { pglite: 8, postgres: 9 }],
  ['RefreshSession', 'anonymous', async () => withCustomer((user) => anonymous({ refreshToken: user.refreshToken })), { pglite: 8, postgres: 9 }],
  [
    'Logout',
    'CUSTOMER',
    async () => withCustomer((user) => ({ token: user.token, variables: { refreshToken: user.refreshToken } })),
    { pglite: 4, postgres: 4 },
  ],
  ['LogoutAll', 'CUSTOMER', async () => withCustomer((user) => ({ token: user.token, variables: {} })), { pglite: 2, postgres: 2 }],
  ['RequestPasswordReset', 'anonymous', async () => withCustomer((user) => anonymous({ identifier: user.email })), { pglite: 1, postgres: 1 }],
  [
    'ChangePassword',
    'CUSTOMER',
    async () => withCustomer((user) => ({ token: user.token, variables: { currentPassword: user.password, newPassword: `${STRONG_PASSWORD} and more` } })),
    { pglite: 9, postgres: 10 },
  ],
  [
    'CreateStaffUser',
    'ADMIN',
    async () => as(admin, { input: { name: 'New Staff', roles: ['MARKETING_STAFF'], email: uniqueEmail('staff') } }),
    { pglite: 6, postgres: 7 },
  ],
  [
    'SetUserRoles',
    'ADMIN',
    async () => as(admin, { userId: (await makeActor(server, ['MARKETING_STAFF'])).userId, roles: ['MARKETING_STAFF', 'ADMIN'] }),
    { pglite: 4, postgres: 5 },
  ],
  ['SetUserStatus', 'ADMIN', async () => as(admin, { userId: (await makeActor(server, ['CUSTOMER'])).userId, status: 'DISABLED' }), { pglite: 5, postgres: 6 }],
  ['UnlockUser', 'ADMIN', async () => as(admin, { userId: (await makeActor(server, ['CUSTOMER'])).userId }), { pglite: 6, postgres: 6 }],
  [
    'CreateProduct',
    'ADMIN',
    async () => as(admin, { input: { supplierId: supplier.supplierId, name: 'Curd', unit: '400 g', pricePaise: 4_500 } }),
    { pglite: 4, postgres: 5 },
  ],
  [
    'CreateCustomer',
    'MARKETING_STAFF',
    async () => as(marketing, { input: { name: 'Field Customer', phone: uniquePhone(), area: 'Jayanagar' } }),
    { pglite: 10, postgres: 11 },
  ],
  [
    'CreateSubscription',
    'CUSTOMER',
    async () => as(customer, { input: { productId, quantity: 1, pattern: 'DAILY', shift: 'MORNING', startDate: '2026-06-20' } }),
    { pglite: 5, postgres: 5 },
  ],
  [
    'CreateSubscription',
    'MARKETING_STAFF',
    async () =>
      as(marketing, { input: { customerId: customer.customerId, productId, quantity: 2, pattern: 'DAILY', shift: 'EVENING', startDate: '2026-06-20' } }),
    { pglite: 6, postgres: 7 },
  ],
  [
    'PlaceOrder',
    'CUSTOMER',
    async () => as(customer, { input: { items: [{ productId, quantity: 2 }], deliveryDate: '2026-06-20' } }),
    { pglite: 10, postgres: 11 },
  ],
  [
    'AssignDeliveryBoy',
    'ADMIN',
    async () => as(admin, { customerId: (await makeActor(server, ['CUSTOMER'])).customerId, deliveryBoyId: deliveryBoy.deliveryBoyId }),
    { pglite: 7, postgres: 8 },
  ],
  [
    'MarkOrderDelivered',
    'DELIVERY_BOY',
    async () => as(deliveryBoy, { orderId: await placeOrder(server, customer, [{ productId, quantity: 1 }]) }),
    { pglite: 12, postgres: 13 },
  ],
  ['RecordPayout', 'ADMIN', async () => as(admin, { deliveryBoyId: deliveryBoy.deliveryBoyId, amountPaise: 1_000 }), { pglite: 8, postgres: 9 }],
  ['RequestPriceChange', 'SUPPLIER', async () => as(supplier, { productId, newPricePaise: 2_600, reason: 'feed prices' }), { pglite: 4, postgres: 4 }],
  [
    'ReviewPriceChange',
    'ADMIN',
    async () => {
      const otherProduct = await createProduct(server, admin, supplier.supplierId!, 3_000);
      const requested = await ok(server, supplier, contractOperation('RequestPriceChange'), { productId: otherProduct, newPricePaise: 3_100 });
      return as(admin, { id: requested.requestPriceChange.id, approve: true });
    },
    { pglite: 9, postgres: 10 },
  ],
  [
    'RecordCustomerContact',
    'MARKETING_STAFF',
    async () => as(marketing, { customerId: customer.customerId, kind: 'CALL', note: 'asked about curd' }),
    { pglite: 5, postgres: 6 },
  ],
  ['RunInactivitySweep', 'ADMIN', async () => as(admin, {}), { pglite: 6, postgres: 7 }],
];

describe('statements per contract mutation', () => {
  it.each(MUTATIONS.map(([name, role, send, statements]) => ({ name, role, send, statements })))('$name as $role', async ({ name, send, statements }) => {
    const { token, variables } = await send();
    const response = await server.gql(contractOperation(name), variables, token ? { token } : {});
    expect(response.status).toBe(200);
    expect(response.errors).toBeUndefined();
    expect(response.statements).toBe(statements[server.database.kind]);
  });
});
