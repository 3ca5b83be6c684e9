import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCustomerInState, createSignedInUser, daysBefore, insertOrder } from '../support/testkit/index.js';
import { contractOperation } from '../support/contract.js';
import { startTestServer, type TestServer } from '../support/server.js';

// The contract operation, as the IDE and the admin app send it.
const DASHBOARD = contractOperation('ActivationDashboard');

let server: TestServer;
let adminToken: string;
let asOf: Date;

beforeAll(async () => {
  server = await startTestServer();
  adminToken = (await createSignedInUser(server, ['ADMIN'])).token;
  asOf = server.clock.now();
});
afterAll(async () => server?.close());

async function dashboard(variables: Record<string, string | undefined>) {
  const response = await server.gql(DASHBOARD, variables, { token: adminToken });
  expect(response.errors).toBeUndefined();
  return { ...response.data.activationDashboard, statements: response.statements };
}

const money = (paise: number, formatted: string) => ({ paise, formatted });

describe('activationDashboard', () => {
  it('answers for an empty database with zero counts and null rates', async () => {
    const { statements, ...empty } = await dashboard({});
    expect(empty).toEqual({
      asOf: asOf.toISOString(),
      totalCustomers: 0,
      new: 0,
      onboarded: 0,
      active: 0,
      inactive: 0,
      conversionFunnel: { signupToFirstOrder: null, firstOrderToActive: null, activeRetention: null },
      revenueByStatus: { new: money(0, '₹0.00'), onboarded: money(0, '₹0.00'), active: money(0, '₹0.00'), inactive: money(0, '₹0.00') },
      bySignupMonth: [],
    });
    expect(statements).toBeGreaterThan(0);
  });

  it('computes every figure of a known population exactly', async () => {
    const at = (iso: string) => new Date(iso);
    // A, B straddle the IST month boundary: 23:59:59 IST on 31 January and 00:00 IST on 1 February.
    await createCustomerInState(server, { status: 'NEW', signupAt: at('2026-01-31T18:29:59.000Z') });
    await createCustomerInState(server, { status: 'NEW', signupAt: at('2026-01-31T18:30:00.000Z') });
    const c = await createCustomerInState(server, { status: 'ONBOARDED', signupAt: at('2026-02-10T05:00:00Z'), firstOrderAt: daysBefore(asOf, 14) });
    await insertOrder(server, c.id, { placedAt: daysBefore(asOf, 14), totalPaise: 5_000 });
    await insertOrder(server, c.id, { placedAt: daysBefore(asOf, 13), totalPaise: 7_000, status: 'CANCELLED' });
    const d = await createCustomerInState(server, {
      status: 'ACTIVE',
      signupAt: at('2026-02-15T05:00:00Z'),
      firstOrderAt: daysBefore(asOf, 32),
      firstDeliveryAt: daysBefore(asOf, 31),
    });
    await insertOrder(server, d.id, { placedAt: daysBefore(asOf, 32), totalPaise: 12_345, status: 'DELIVERED', deliveredAt: daysBefore(asOf, 31) });
    await insertOrder(server, d.id, { placedAt: daysBefore(asOf, 3), totalPaise: 10_000, status: 'DELIVERED', deliveredAt: daysBefore(asOf, 2) });
    await insertOrder(server, d.id, { placedAt: daysBefore(asOf, 1), totalPaise: 999, status: 'CANCELLED' });
    const e = await createCustomerInState(server, {
      status: 'ACTIVE',
      signupAt: at('2026-03-01T00:00:00Z'),
      firstOrderAt: daysBefore(asOf, 31),
      firstDeliveryAt: daysBefore(asOf, 30),
    });
    await insertOrder(server, e.id, { placedAt: daysBefore(asOf, 31), totalPaise: 20_000, status: 'DELIVERED', deliveredAt: daysBefore(asOf, 30) });
    const f = await createCustomerInState(server, {
      status: 'ACTIVE',
      signupAt: at('2026-03-05T00:00:00Z'),
      firstOrderAt: daysBefore(asOf, 30),
      firstDeliveryAt: daysBefore(asOf, 29),
    });
    await insertOrder(server, f.id, { placedAt: daysBefore(asOf, 30), totalPaise: 3_000, status: 'DELIVERED', deliveredAt: daysBefore(asOf, 29) });
    const g = await createCustomerInState(server, {
      status: 'INACTIVE',
      signupAt: at('2026-03-10T00:00:00Z'),
      firstOrderAt: daysBefore(asOf, 61),
      firstDeliveryAt: daysBefore(asOf, 60),
    });
    await insertOrder(server, g.id, { placedAt: daysBefore(asOf, 61), totalPaise: 4_550, status: 'DELIVERED', deliveredAt: daysBefore(asOf, 60) });
    await insertOrder(server, g.id, { placedAt: daysBefore(asOf, 40), totalPaise: 1_000, status: 'NOT_DELIVERED' });
    const h = await createCustomerInState(server, { status: 'INACTIVE', signupAt: at('2026-03-31T18:29:00Z'), firstOrderAt: daysBefore(asOf, 45) });
    await insertOrder(server, h.id, { placedAt: daysBefore(asOf, 45), totalPaise: 2_000 });
    // Archived customers are not counted, nor is their revenue.
    const archived = await createCustomerInState(server, {
      status: 'ACTIVE',
      signupAt: at('2026-02-20T00:00:00Z'),
      firstOrderAt: daysBefore(asOf, 90),
      firstDeliveryAt: daysBefore(asOf, 89),
      archivedAt: daysBefore(asOf, 5),
    });
    await insertOrder(server, archived.id, { placedAt: daysBefore(asOf, 90), totalPaise: 99_999, status: 'DELIVERED', deliveredAt: daysBefore(asOf, 89) });
    // Outside the cohort window below (signed up on 1 April IST).
    await createCustomerInState(server, { status: 'NEW', signupAt: at('2026-03-31T18:30:00Z') });

    const cohort = { signupFrom: '2026-01-01T00:00:00+05:30', signupTo: '2026-04-01T00:00:00+05:30' };
    const { statements, ...figures } = await dashboard({ asOf: asOf.toISOString(), ...cohort });
    expect(figures).toEqual({
      asOf: asOf.toISOString(),
      totalCustomers: 8,
      new: 2,
      onboarded: 1,
      active: 3,
      inactive: 2,
      conversionFunnel: { signupToFirstOrder: 0.75, firstOrderToActive: 0.5, activeRetention: 0.6667 },
      revenueByStatus: {
        new: money(0, '₹0.00'),
        onboarded: money(0, '₹0.00'),
        active: money(45_345, '₹453.45'),
        inactive: money(4_550, '₹45.50'),
      },
      bySignupMonth: [
        { month: '2026-01', totalCustomers: 1, new: 1, onboarded: 0, active: 0, inactive: 0 },
        { month: '2026-02', totalCustomers: 3, new: 1, onboarded: 1, active: 1, inactive: 0 },
        { month: '2026-03', totalCustomers: 4, new: 0, onboarded: 0, active: 2, inactive: 2 },
      ],
    });

    // The cohort from 1 February IST leaves out A; one day later, the 29-day delivery enters retention.
    const february = await dashboard({
      asOf: new Date(asOf.getTime() + 86_400_000).toISOString(),
      signupFrom: '2026-02-01T00:00:00+05:30',
      signupTo: cohort.signupTo,
    });
    expect(february).toMatchObject({
      totalCustomers: 7,
      new: 1,
      conversionFunnel: { signupToFirstOrder: 0.8571, firstOrderToActive: 0.5, activeRetention: 0.75 },
    });

    // Without a filter, the customer who signed up on 1 April IST is counted in April.
    const everyone = await dashboard({ asOf: asOf.toISOString() });
    expect(everyone.totalCustomers).toBe(9);
    expect(everyone.bySignupMonth.at(-1)).toEqual({ month: '2026-04', totalCustomers: 1, new: 1, onboarded: 0, active: 0, inactive: 0 });
  });

  it('runs a constant number of SQL statements whatever the number of customers', async () => {
    const cohort = { signupFrom: '2025-05-01T00:00:00+05:30', signupTo: '2025-06-01T00:00:00+05:30' };
    const add = async (count: number) => {
      for (let index = 0; index < count; index += 1) {
        const customer = await createCustomerInState(server, {
          status: 'ACTIVE',
          signupAt: new Date(Date.UTC(2025, 4, 2 + (index % 25))),
          firstOrderAt: daysBefore(asOf, 100),
          firstDeliveryAt: daysBefore(asOf, 99),
        });
        await insertOrder(server, customer.id, { placedAt: daysBefore(asOf, 100), totalPaise: 1_000, status: 'DELIVERED', deliveredAt: daysBefore(asOf, 99) });
      }
    };
    await add(2);
    const few = await dashboard(cohort);
    await add(25);
    const many = await dashboard(cohort);
    expect(few.totalCustomers).toBe(2);
    expect(many.totalCustomers).toBe(27);
    expect(many.revenueByStatus.active).toEqual(money(27_000, '₹270.00'));
    expect(many.statements).toBe(few.statements);
  });

  it('is for admins only and checks its cohort bounds', async () => {
    const marketing = await createSignedInUser(server, ['MARKETING_STAFF']);
    const refused = await server.gql(DASHBOARD, {}, { token: marketing.token });
    expect(refused.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const backwards = await server.gql(DASHBOARD, { signupFrom: '2026-03-01T00:00:00Z', signupTo: '2026-02-01T00:00:00Z' }, { token: adminToken });
    expect(backwards.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });
});
