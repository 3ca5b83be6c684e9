// The directive-derived rules on a sample of fields of each kind: root queries and mutations, object
// fields with owner grants, and masked fields that answer null with FORBIDDEN at their path.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { roleAuditRows } from '../../src/auth/role-audit.js';
import { buildBaseSchema } from '../../src/server/schema.js';
import { createSignedInUser } from '../support/testkit/index.js';
import { startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => server?.close());

const codeOf = (response: { errors?: { extensions?: Record<string, any> }[] }) => response.errors?.[0]?.extensions?.code;

describe('derived authorization', () => {
  it('answers anonymous callers UNAUTHENTICATED and wrong roles FORBIDDEN on root fields', async () => {
    const customer = await createSignedInUser(server, ['CUSTOMER']);
    const samples = [
      `query { users(first: 1) { totalCount } }`,
      `query { lookupUser(identifier: "a@b.in") { id } }`,
      `mutation { createStaffUser(input: { name: "X", roles: [ADMIN], email: "x@y.in" }) { id } }`,
      `mutation { setUserStatus(userId: "00000000-0000-7000-8000-000000000000", status: DISABLED) { id } }`,
    ];
    for (const query of samples) {
      expect(codeOf(await server.gql(query)), query).toBe('UNAUTHENTICATED');
      expect(codeOf(await server.gql(query, {}, { token: customer.token })), query).toBe('FORBIDDEN');
    }
    expect(codeOf(await server.gql(`query { me { id } }`))).toBe('UNAUTHENTICATED');
    expect(codeOf(await server.gql(`mutation { logoutAll }`))).toBe('UNAUTHENTICATED');
  });

  it('answers FORBIDDEN at the path of a field the caller may not read, keeping the rest', async () => {
    const marketing = await createSignedInUser(server, ['MARKETING_STAFF']);
    const boy = await createSignedInUser(server, ['DELIVERY_BOY', 'SUPPLIER']);
    const response = await server.gql(
      `query($identifier: String!) { lookupUser(identifier: $identifier) { id email deliveryBoy { id status paymentFrequency } supplier { id businessName commissionRateBps } } }`,
      { identifier: boy.email },
      { token: marketing.token },
    );
    // Both fields are non-null, so their nullable parents become null; the user's other fields stay.
    expect(response.data.lookupUser).toMatchObject({ id: boy.user.id, email: boy.email, deliveryBoy: null, supplier: null });
    const masked = response.errors!.map((error) => [error.path!.join('.'), error.extensions?.code]);
    expect(masked).toEqual(
      expect.arrayContaining([
        ['lookupUser.deliveryBoy.paymentFrequency', 'FORBIDDEN'],
        ['lookupUser.supplier.commissionRateBps', 'FORBIDDEN'],
      ]),
    );
    expect(masked).toHaveLength(2);
  });

  it('lets owners read their own facets', async () => {
    const boy = await createSignedInUser(server, ['DELIVERY_BOY', 'SUPPLIER']);
    const response = await server.gql(`query { me { deliveryBoy { id paymentFrequency } supplier { commissionRateBps } } }`, {}, { token: boy.token });
    expect(response.errors).toBeUndefined();
    expect(response.data.me).toMatchObject({ deliveryBoy: { paymentFrequency: 'WEEKLY' }, supplier: { commissionRateBps: 1000 } });
  });

  it('gives a user with no role nothing but the public operations', async () => {
    const nobody = await createSignedInUser(server, []);
    expect(codeOf(await server.gql(`query { me { id } }`, {}, { token: nobody.token }))).toBe('FORBIDDEN');
  });
});

describe('roleAudit', () => {
  it('lists every field with its grants, for admins only', async () => {
    const admin = await createSignedInUser(server, ['ADMIN']);
    const customer = await createSignedInUser(server, ['CUSTOMER']);
    const query = `query RoleAudit { roleAudit { typeName fieldName roles owner public } }`;
    expect(codeOf(await server.gql(query, {}, { token: customer.token }))).toBe('FORBIDDEN');
    const rows = (await server.gql(query, {}, { token: admin.token })).data.roleAudit as {
      typeName: string;
      fieldName: string;
      roles: string[];
      owner: boolean;
      public: boolean;
    }[];
    expect(rows).toContainEqual({ typeName: 'Mutation', fieldName: 'login', roles: [], owner: false, public: true });
    expect(rows).toContainEqual({ typeName: 'Query', fieldName: 'roleAudit', roles: ['ADMIN'], owner: false, public: false });
    expect(rows).toContainEqual({ typeName: 'User', fieldName: 'email', roles: ['ADMIN', 'MARKETING_STAFF'], owner: false, public: false });
    expect(rows.filter((row) => row.typeName === 'User' && row.fieldName === 'email' && row.owner)).toHaveLength(1);
    // Read from the schema being executed, the rows are those of the printed schema (docs/ROLE_AUDIT.md).
    expect(rows).toEqual(roleAuditRows(await buildBaseSchema()));
  });
});
