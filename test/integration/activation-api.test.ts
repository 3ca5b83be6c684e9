import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCustomer, createSignedInUser, daysBefore, deliverOrder, placeOrderAt } from '../support/testkit/index.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { contractOperation } from '../support/contract.js';

// The contract operations, as the frontends send them.
const CUSTOMER_ACTIVATION = contractOperation('CustomerActivation');
const RECORD_CONTACT = contractOperation('RecordCustomerContact');

let server: TestServer;
let admin: Awaited<ReturnType<typeof createSignedInUser>>;
let marketing: Awaited<ReturnType<typeof createSignedInUser>>;

beforeAll(async () => {
  server = await startTestServer();
  admin = await createSignedInUser(server, ['ADMIN']);
  marketing = await createSignedInUser(server, ['MARKETING_STAFF']);
});
afterAll(async () => server?.close());

describe('customer(id) with its activation history', () => {
  it('answers the CustomerActivation contract operation for staff', async () => {
    const customer = await createCustomer(server, { signupAt: daysBefore(server.clock.now(), 10) });
    const order = await placeOrderAt(server, customer.id, daysBefore(server.clock.now(), 5));
    await deliverOrder(server, order.id, daysBefore(server.clock.now(), 4));
    for (const token of [admin.token, marketing.token]) {
      const response = await server.gql(CUSTOMER_ACTIVATION, { id: customer.id }, { token });
      expect(response.errors).toBeUndefined();
      expect(response.data.customer).toMatchObject({
        id: customer.id,
        activationStatus: 'ACTIVE',
        signupAt: daysBefore(server.clock.now(), 10).toISOString(),
        firstOrderAt: daysBefore(server.clock.now(), 5).toISOString(),
        firstDeliveryAt: daysBefore(server.clock.now(), 4).toISOString(),
        lastOrderAt: daysBefore(server.clock.now(), 5).toISOString(),
        churnedAt: null,
        onboardingCompleted: true,
        welcomeMessageSent: false,
      });
      expect(response.data.customer.activationHistory).toEqual([
        { from: null, to: 'NEW', at: daysBefore(server.clock.now(), 10).toISOString(), reason: 'marketing' },
        { from: 'NEW', to: 'ONBOARDED', at: daysBefore(server.clock.now(), 5).toISOString(), reason: 'first-order' },
        { from: 'ONBOARDED', to: 'ACTIVE', at: daysBefore(server.clock.now(), 4).toISOString(), reason: 'first-delivery' },
      ]);
    }
  });

  it('gives a customer its own record and null for anyone else', async () => {
    const me = await createSignedInUser(server, ['CUSTOMER']);
    const mine = await server.database.prisma.customer.findUniqueOrThrow({ where: { userId: me.user.id } });
    const other = await createCustomer(server);
    const own = await server.gql(CUSTOMER_ACTIVATION, { id: mine.id }, { token: me.token });
    expect(own.errors).toBeUndefined();
    expect(own.data.customer.id).toBe(mine.id);
    const foreign = await server.gql(CUSTOMER_ACTIVATION, { id: other.id }, { token: me.token });
    expect(foreign.errors).toBeUndefined();
    expect(foreign.data.customer).toBeNull();
    const unknown = await server.gql(CUSTOMER_ACTIVATION, { id: '0190a6f0-0000-7000-8000-000000000000' }, { token: admin.token });
    expect(unknown.data.customer).toBeNull();
    const malformed = await server.gql(CUSTOMER_ACTIVATION, { id: 'not-an-id' }, { token: admin.token });
    expect(malformed.data.customer).toBeNull();
  });

  it('lets a delivery boy read the name of an assigned customer only, never its activation', async () => {
    const rider = await createSignedInUser(server, ['DELIVERY_BOY']);
    const deliveryBoy = await server.database.prisma.deliveryBoy.findUniqueOrThrow({ where: { userId: rider.user.id } });
    const assigned = await createCustomer(server, { name: 'Assigned Asha', deliveryBoyId: deliveryBoy.id });
    const unassigned = await createCustomer(server);
    const named = await server.gql(`query($id: ID!) { customer(id: $id) { id name } }`, { id: assigned.id }, { token: rider.token });
    expect(named.errors).toBeUndefined();
    expect(named.data.customer).toEqual({ id: assigned.id, name: 'Assigned Asha' });
    const history = await server.gql(CUSTOMER_ACTIVATION, { id: assigned.id }, { token: rider.token });
    expect(history.errors?.map((error) => error.extensions?.code)).toContain('FORBIDDEN');
    const notHis = await server.gql(`query($id: ID!) { customer(id: $id) { id } }`, { id: unassigned.id }, { token: rider.token });
    expect(notHis.data.customer).toBeNull();
  });

  it('loads activation history for many customers in one statement', async () => {
    const ids: string[] = [];
    for (let index = 0; index < 6; index += 1) ids.push((await createCustomer(server)).id);
    const query = (count: number) =>
      `query { ${ids
        .slice(0, count)
        .map((id, index) => `c${index}: customer(id: "${id}") { activationHistory { to } }`)
        .join(' ')} }`;
    const two = await server.gql(query(2), {}, { token: admin.token });
    const six = await server.gql(query(6), {}, { token: admin.token });
    expect(six.errors).toBeUndefined();
    expect(Object.values(six.data).every((customer: any) => customer.activationHistory.length === 1)).toBe(true);
    // Prisma batches the customer(id) lookups of one tick, and the histories come in one DataLoader batch.
    expect(six.statements).toBe(two.statements);
  });
});

describe('recordCustomerContact', () => {
  it('sets firstContactAt once, firstCallAt on the first call and lastContactAt every time', async () => {
    const customer = await createCustomer(server);
    const start = server.clock.now();
    const visit = await server.gql(RECORD_CONTACT, { customerId: customer.id, kind: 'VISIT', note: 'Met at the gate' }, { token: marketing.token });
    expect(visit.errors).toBeUndefined();
    expect(visit.data.recordCustomerContact).toEqual({
      id: customer.id,
      firstContactAt: start.toISOString(),
      firstCallAt: null,
      lastContactAt: start.toISOString(),
    });

    server.clock.advance(5 * 60 * 1000); // within the access token's 15 minutes
    const firstCall = server.clock.now();
    const call = await server.gql(RECORD_CONTACT, { customerId: customer.id, kind: 'CALL' }, { token: marketing.token });
    expect(call.data.recordCustomerContact).toEqual({
      id: customer.id,
      firstContactAt: start.toISOString(),
      firstCallAt: firstCall.toISOString(),
      lastContactAt: firstCall.toISOString(),
    });

    server.clock.advance(5 * 60 * 1000); // within the access token's 15 minutes
    const later = server.clock.now();
    await server.gql(RECORD_CONTACT, { customerId: customer.id, kind: 'CALL' }, { token: admin.token });
    const message = await server.gql(RECORD_CONTACT, { customerId: customer.id, kind: 'MESSAGE' }, { token: marketing.token });
    expect(message.data.recordCustomerContact).toEqual({
      id: customer.id,
      firstContactAt: start.toISOString(),
      firstCallAt: firstCall.toISOString(),
      lastContactAt: later.toISOString(),
    });

    const contacts = await server.database.prisma.customerContact.findMany({ where: { customerId: customer.id }, orderBy: { at: 'asc' } });
    expect(contacts.map((contact) => [contact.kind, contact.note])).toEqual([
      ['VISIT', 'Met at the gate'],
      ['CALL', null],
      ['CALL', null],
      ['MESSAGE', null],
    ]);
    expect(contacts[0].staffUserId).toBe(marketing.user.id);
  });

  it('refuses unknown customers, customers and delivery boys', async () => {
    const unknown = await server.gql(RECORD_CONTACT, { customerId: '0190a6f0-0000-7000-8000-000000000000', kind: 'CALL' }, { token: marketing.token });
    expect(unknown.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    const customer = await createSignedInUser(server, ['CUSTOMER']);
    const own = await server.database.prisma.customer.findUniqueOrThrow({ where: { userId: customer.user.id } });
    const refused = await server.gql(RECORD_CONTACT, { customerId: own.id, kind: 'CALL' }, { token: customer.token });
    expect(refused.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect((await server.database.prisma.customer.findUniqueOrThrow({ where: { id: own.id } })).firstContactAt).toBeNull();
  });
});
