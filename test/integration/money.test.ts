// Money beyond GraphQL's 32-bit Int: a large total answers exactly through paiseDecimal and formatted,
// and `paise` says so clearly instead of failing the whole request with an internal error.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSignedInUser, uniquePhone } from '../support/testkit/index.js';
import { startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => server?.close());

describe('Money', () => {
  it('carries totals beyond ₹2.1 crore exactly', async () => {
    const admin = await createSignedInUser(server, ['ADMIN']);
    const phone = uniquePhone();
    const user = await server.database.prisma.user.create({
      data: {
        name: 'Big Buyer',
        phone,
        roles: ['CUSTOMER'],
        customer: {
          create: {
            name: 'Big Buyer',
            phone,
            activationStatus: 'ACTIVE',
            firstOrderAt: new Date('2026-06-01T00:00:00Z'),
            firstDeliveryAt: new Date('2026-06-02T00:00:00Z'),
          },
        },
      },
      include: { customer: true },
    });
    for (const day of ['2026-06-02', '2026-06-03']) {
      await server.database.prisma.order.create({
        data: {
          customerId: user.customer!.id,
          status: 'DELIVERED',
          totalPaise: 1_500_000_000,
          placedAt: new Date(`${day}T00:00:00Z`),
          deliveryDate: new Date(`${day}T00:00:00Z`),
          deliveredAt: new Date(`${day}T02:00:00Z`),
        },
      });
    }
    const exact = await server.gql(`{ activationDashboard { revenueByStatus { active { paiseDecimal formatted } } } }`, {}, { token: admin.token });
    expect(exact.errors).toBeUndefined();
    expect(exact.data.activationDashboard.revenueByStatus.active).toEqual({ paiseDecimal: '3000000000', formatted: '₹3,00,00,000.00' });
    const narrow = await server.gql(`{ activationDashboard { revenueByStatus { active { paise } new { paise } } } }`, {}, { token: admin.token });
    expect(narrow.errors?.[0]).toMatchObject({ path: ['activationDashboard', 'revenueByStatus', 'active', 'paise'], extensions: { code: 'BAD_USER_INPUT' } });
    expect(narrow.errors?.[0].message).toContain('paiseDecimal');
  });
});
