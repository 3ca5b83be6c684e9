import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSignedInUser, STRONG_PASSWORD, uniqueEmail, uniquePhone } from '../support/testkit/index.js';
import { fromNewIp, LOGIN } from '../support/operations.js';
import { startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
let admin: Awaited<ReturnType<typeof createSignedInUser>>;
beforeAll(async () => {
  server = await startTestServer({ TRUST_PROXY: 'true' });
  admin = await createSignedInUser(server, ['ADMIN']);
});
afterAll(async () => server?.close());

const CREATE_STAFF = `mutation CreateStaffUser($input: CreateStaffUserInput!) { createStaffUser(input: $input) { id roles deliveryBoy { id } supplier { id } } }`;
const LOOKUP = `query LookupUser($identifier: String!) { lookupUser(identifier: $identifier) {
  id name email phone roles status customer { id activationStatus } deliveryBoy { id status } supplier { id businessName } } }`;
const USERS = `query Users($first: Int, $after: String, $filter: UserFilter) { users(first: $first, after: $after, filter: $filter) {
  totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id name roles status customer { id } deliveryBoy { id } supplier { id } } } } }`;

describe('staff administration', () => {
  it('creates staff with their facets, and the new account can sign in', async () => {
    const email = uniqueEmail('boy');
    const created = await server.gql(
      CREATE_STAFF,
      {
        input: {
          name: 'Raju',
          roles: ['DELIVERY_BOY', 'CUSTOMER'],
          email,
          phone: uniquePhone(),
          password: STRONG_PASSWORD,
          deliveryBoy: { ratePerDeliveryPaise: 3500, paymentFrequency: 'MONTHLY', area: 'Adyar' },
        },
      },
      { token: admin.token },
    );
    expect(created.errors).toBeUndefined();
    expect(created.data.createStaffUser.deliveryBoy.id).toBeTruthy();
    const boy = await server.database.prisma.deliveryBoy.findUniqueOrThrow({ where: { id: created.data.createStaffUser.deliveryBoy.id } });
    expect(boy).toMatchObject({ ratePerDeliveryPaise: 3500, paymentFrequency: 'MONTHLY', area: 'Adyar' });
    expect((await server.gql(LOGIN, { identifier: email, password: STRONG_PASSWORD }, fromNewIp())).errors).toBeUndefined();
    const supplier = await server.gql(
      CREATE_STAFF,
      {
        input: {
          name: 'Gokul Dairy Owner',
          roles: ['SUPPLIER'],
          email: uniqueEmail('supplier'),
          supplier: { businessName: 'Gokul Dairy', commissionRateBps: 1200 },
        },
      },
      { token: admin.token },
    );
    expect(supplier.data.createStaffUser.supplier.id).toBeTruthy();
  });

  it('refuses staff creation to non-admins, and bad or conflicting input', async () => {
    const marketing = await createSignedInUser(server, ['MARKETING_STAFF']);
    const denied = await server.gql(CREATE_STAFF, { input: { name: 'X', roles: ['ADMIN'], email: uniqueEmail() } }, { token: marketing.token });
    expect(denied.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const anonymous = await server.gql(CREATE_STAFF, { input: { name: 'X', roles: ['ADMIN'], email: uniqueEmail() } });
    expect(anonymous.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    const facetWithoutRole = await server.gql(
      CREATE_STAFF,
      { input: { name: 'X', roles: ['MARKETING_STAFF'], email: uniqueEmail(), supplier: { businessName: 'Y' } } },
      { token: admin.token },
    );
    expect(facetWithoutRole.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.supplier' });
    const taken = await server.gql(
      CREATE_STAFF,
      { input: { name: 'X', roles: ['MARKETING_STAFF'], email: admin.email.toUpperCase() } },
      { token: admin.token },
    );
    expect(taken.errors?.[0].extensions?.code).toBe('CONFLICT');
  });

  it('looks a user up by email or phone in any format, with all facets', async () => {
    const phone = uniquePhone();
    const created = await server.gql(CREATE_STAFF, { input: { name: 'Two Hats', roles: ['DELIVERY_BOY', 'CUSTOMER'], phone } }, { token: admin.token });
    const userId = created.data.createStaffUser.id;
    for (const identifier of [phone, `0${phone.slice(3)}`, `${phone.slice(3, 8)} ${phone.slice(8)}`]) {
      const found = await server.gql(LOOKUP, { identifier }, { token: admin.token });
      expect(found.data.lookupUser).toMatchObject({
        id: userId,
        phone,
        roles: ['DELIVERY_BOY', 'CUSTOMER'],
        customer: { activationStatus: 'NEW' },
        deliveryBoy: { status: 'ACTIVE' },
        supplier: null,
      });
    }
    expect((await server.gql(LOOKUP, { identifier: uniqueEmail('missing') }, { token: admin.token })).data.lookupUser).toBeNull();
    expect((await server.gql(LOOKUP, { identifier: 'neither' }, { token: admin.token })).errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('grants a facet role by creating the facet, and keeps it when the role is removed', async () => {
    const person = await createSignedInUser(server, ['CUSTOMER']);
    const setRoles = `mutation SetUserRoles($userId: ID!, $roles: [Role!]!) { setUserRoles(userId: $userId, roles: $roles) { id roles } }`;
    await server.gql(setRoles, { userId: person.user.id, roles: ['CUSTOMER', 'SUPPLIER'] }, { token: admin.token });
    const supplier = await server.database.prisma.supplier.findUniqueOrThrow({ where: { userId: person.user.id } });
    expect(supplier.commissionRateBps).toBe(1000);
    await server.gql(setRoles, { userId: person.user.id, roles: ['CUSTOMER'] }, { token: admin.token });
    expect(await server.database.prisma.supplier.count({ where: { userId: person.user.id } })).toBe(1);
    const found = await server.gql(LOOKUP, { identifier: person.email }, { token: admin.token });
    expect(found.data.lookupUser.roles).toEqual(['CUSTOMER']);
    const selfDemotion = await server.gql(setRoles, { userId: admin.user.id, roles: ['CUSTOMER'] }, { token: admin.token });
    expect(selfDemotion.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('lists users page by page with stable cursors and filters', async () => {
    const tag = `Pager${Date.now()}`;
    for (let index = 0; index < 5; index += 1) {
      await server.gql(CREATE_STAFF, { input: { name: `${tag} ${index}`, roles: ['MARKETING_STAFF'], email: uniqueEmail('pager') } }, { token: admin.token });
    }
    const first = await server.gql(USERS, { first: 2, filter: { search: tag } }, { token: admin.token });
    expect(first.errors).toBeUndefined();
    expect(first.data.users.totalCount).toBe(5);
    expect(first.data.users.pageInfo.hasNextPage).toBe(true);
    // A row inserted before the cursor does not shift the next page.
    server.clock.advance(1000);
    await server.gql(CREATE_STAFF, { input: { name: `${tag} late`, roles: ['MARKETING_STAFF'], email: uniqueEmail('pager') } }, { token: admin.token });
    const second = await server.gql(USERS, { first: 2, after: first.data.users.pageInfo.endCursor, filter: { search: tag } }, { token: admin.token });
    const names = [...first.data.users.edges, ...second.data.users.edges].map((edge: { node: { name: string } }) => edge.node.name);
    expect(names).toEqual([`${tag} 0`, `${tag} 1`, `${tag} 2`, `${tag} 3`]);
    const byRole = await server.gql(USERS, { first: 100, filter: { role: 'ADMIN' } }, { token: admin.token });
    expect(byRole.errors).toBeUndefined();
    expect(byRole.data.users.edges.every((edge: { node: { roles: string[] } }) => edge.node.roles.includes('ADMIN'))).toBe(true);
    expect((await server.gql(USERS, { first: 101 }, { token: admin.token })).errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect((await server.gql(USERS, { first: -1 }, { token: admin.token })).errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect((await server.gql(USERS, { first: 2, after: 'bogus' }, { token: admin.token })).errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('shows a user only itself through user(id), and hides contact fields from other users', async () => {
    const one = await createSignedInUser(server, ['CUSTOMER']);
    const two = await createSignedInUser(server, ['CUSTOMER']);
    const query = `query($id: ID!) { user(id: $id) { id email } }`;
    expect((await server.gql(query, { id: one.user.id }, { token: one.token })).data.user.email).toBe(one.email);
    expect((await server.gql(query, { id: two.user.id }, { token: one.token })).data.user).toBeNull();
    expect((await server.gql(query, { id: '00000000-0000-7000-8000-000000000000' }, { token: one.token })).data.user).toBeNull();
    expect((await server.gql(query, { id: two.user.id }, { token: admin.token })).data.user.email).toBe(two.email);
  });
});
