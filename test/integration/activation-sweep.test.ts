import 'reflect-metadata';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ManualClock } from '../../src/shared/clock.js';
import { createCustomer, createSignedInUser, daysBefore, deliverOrder, placeOrderAt } from '../support/testkit/index.js';
import { startTestServer, type TestServer } from '../support/server.js';

const SWEEP = `mutation RunInactivitySweep($asOf: DateTime) { runInactivitySweep(asOf: $asOf) { asOf markedInactive } }`;
const DAY = 24 * 60 * 60 * 1000;

let server: TestServer;
let adminToken: string;

beforeAll(async () => {
  server = await startTestServer();
  adminToken = (await createSignedInUser(server, ['ADMIN'])).token;
});
afterAll(async () => server?.close());

const prisma = () => server.database.prisma;

async function sweep(asOf: Date) {
  const response = await server.gql(SWEEP, { asOf: asOf.toISOString() }, { token: adminToken });
  expect(response.errors).toBeUndefined();
  return response.data.runInactivitySweep as { asOf: string; markedInactive: number };
}

/** An ACTIVE customer whose only order was placed (and delivered) at `lastOrderAt`. */
async function activeCustomerWithLastOrder(lastOrderAt: Date) {
  const customer = await createCustomer(server, { signupAt: new Date(lastOrderAt.getTime() - DAY) });
  const order = await placeOrderAt(server, customer.id, lastOrderAt);
  await deliverOrder(server, order.id, new Date(lastOrderAt.getTime() + 3_600_000));
  return customer;
}

describe('inactivity sweep', () => {
  it('marks customers with no order for more than 30 days INACTIVE, once', async () => {
    const asOf = server.clock.now();
    await sweep(asOf);
    const lapsed = await activeCustomerWithLastOrder(daysBefore(asOf, 31));
    const exactlyThirty = await activeCustomerWithLastOrder(daysBefore(asOf, 30));
    const recent = await activeCustomerWithLastOrder(daysBefore(asOf, 29));
    const onboardedOnly = await createCustomer(server, { signupAt: daysBefore(asOf, 60) });
    await placeOrderAt(server, onboardedOnly.id, daysBefore(asOf, 45));
    const neverOrdered = await createCustomer(server, { signupAt: daysBefore(asOf, 120) });

    expect(await sweep(asOf)).toEqual({ asOf: asOf.toISOString(), markedInactive: 2 });
    const statuses = await prisma().customer.findMany({
      where: { id: { in: [lapsed.id, exactlyThirty.id, recent.id, onboardedOnly.id, neverOrdered.id] } },
    });
    const byId = new Map(statuses.map((row) => [row.id, row]));
    expect(byId.get(lapsed.id)).toMatchObject({ activationStatus: 'INACTIVE', churnedAt: daysBefore(asOf, 1) });
    expect(byId.get(onboardedOnly.id)).toMatchObject({ activationStatus: 'INACTIVE', churnedAt: daysBefore(asOf, 15) });
    expect(byId.get(exactlyThirty.id)).toMatchObject({ activationStatus: 'ACTIVE', churnedAt: null });
    expect(byId.get(recent.id)?.activationStatus).toBe('ACTIVE');
    expect(byId.get(neverOrdered.id)?.activationStatus).toBe('NEW');

    const events = await prisma().activationEvent.findMany({ where: { customerId: lapsed.id, toStatus: 'INACTIVE' } });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ fromStatus: 'ACTIVE', reason: 'no-order-30-days', at: daysBefore(asOf, 1) });
    const onboardedEvent = await prisma().activationEvent.findFirstOrThrow({ where: { customerId: onboardedOnly.id, toStatus: 'INACTIVE' } });
    expect(onboardedEvent.fromStatus).toBe('ONBOARDED');
    const messages = await prisma().outboxMessage.findMany({ where: { customerId: lapsed.id, template: 'REENGAGEMENT' } });
    expect(messages).toHaveLength(1);
    expect(messages[0].dedupeKey).toBe(`reengagement:${lapsed.id}:${daysBefore(asOf, 31).toISOString()}`);

    // A second sweep finds nobody and queues nothing.
    expect((await sweep(asOf)).markedInactive).toBe(0);
    expect(await prisma().outboxMessage.count({ where: { customerId: lapsed.id, template: 'REENGAGEMENT' } })).toBe(1);
    expect(await prisma().activationEvent.count({ where: { customerId: lapsed.id, toStatus: 'INACTIVE' } })).toBe(1);
  });

  it('a customer who comes back and lapses again gets a new re-engagement message', async () => {
    const asOf = server.clock.now();
    const customer = await activeCustomerWithLastOrder(daysBefore(asOf, 100));
    expect((await sweep(daysBefore(asOf, 60))).markedInactive).toBeGreaterThanOrEqual(1);
    await placeOrderAt(server, customer.id, daysBefore(asOf, 50));
    expect((await prisma().customer.findUniqueOrThrow({ where: { id: customer.id } })).activationStatus).toBe('ACTIVE');
    await sweep(asOf);
    const reread = await prisma().customer.findUniqueOrThrow({ where: { id: customer.id } });
    expect(reread).toMatchObject({ activationStatus: 'INACTIVE', churnedAt: daysBefore(asOf, 20) });
    const messages = await prisma().outboxMessage.findMany({
      where: { customerId: customer.id, template: { in: ['REENGAGEMENT', 'WELCOME_BACK'] } },
      orderBy: { createdAt: 'asc' },
    });
    expect(messages.map((message) => message.template).sort()).toEqual(['REENGAGEMENT', 'REENGAGEMENT', 'WELCOME_BACK']);
    const history = await prisma().activationEvent.findMany({ where: { customerId: customer.id }, orderBy: { at: 'asc' } });
    expect(history.map((event) => `${event.fromStatus ?? '-'}>${event.toStatus}`)).toEqual([
      '->NEW',
      'NEW>ONBOARDED',
      'ONBOARDED>ACTIVE',
      'ACTIVE>INACTIVE',
      'INACTIVE>ACTIVE',
      'ACTIVE>INACTIVE',
    ]);
  });

  it('two sweeps started at once move each customer once (advisory lock)', async () => {
    const asOf = server.clock.now();
    await sweep(asOf);
    const customers = [];
    for (let index = 0; index < 12; index += 1) customers.push(await activeCustomerWithLastOrder(daysBefore(asOf, 40 + index)));
    const responses = await Promise.all([1, 2].map(() => server.gql(SWEEP, { asOf: asOf.toISOString() }, { token: adminToken })));
    // One sweep does the work; the other either found the lock taken (CONFLICT) or ran after it and found nobody.
    const marked = responses.map((response) => response.data?.runInactivitySweep?.markedInactive ?? 0);
    expect(marked.sort()).toEqual([0, 12]);
    for (const response of responses) {
      if (response.errors) expect(response.errors[0].extensions?.code).toBe('CONFLICT');
    }
    const ids = customers.map((customer) => customer.id);
    expect(await prisma().activationEvent.count({ where: { customerId: { in: ids }, toStatus: 'INACTIVE' } })).toBe(12);
    expect(await prisma().outboxMessage.count({ where: { customerId: { in: ids }, template: 'REENGAGEMENT' } })).toBe(12);
  });

  it('refuses an on-demand sweep while another instance holds the lock (PostgreSQL), and runs once it is free', async () => {
    const asOf = server.clock.now();
    await sweep(asOf);
    const customer = await activeCustomerWithLastOrder(daysBefore(asOf, 33));
    if (server.database.url) {
      // Another instance: a separate connection holding the sweep's advisory lock (direct: a session-level
      // lock taken through PgBouncer in transaction mode would stay on a server connection the pool hands on).
      const other = new pg.Client({ connectionString: server.database.directUrl });
      await other.connect();
      await other.query(`SELECT pg_advisory_lock(hashtext('activation:inactivity-sweep'))`);
      const refused = await server.gql(SWEEP, { asOf: asOf.toISOString() }, { token: adminToken });
      expect(refused.errors?.[0].extensions?.code).toBe('CONFLICT');
      expect((await prisma().customer.findUniqueOrThrow({ where: { id: customer.id } })).activationStatus).toBe('ACTIVE');
      expect(await server.app.services.inactivitySweep.tryRun(asOf)).toBeNull();
      await other.end();
    }
    expect((await sweep(asOf)).markedInactive).toBe(1);
  });

  it('refuses an as-of time in the future and callers who are not admins', async () => {
    const future = new Date(server.clock.now().getTime() + DAY);
    const response = await server.gql(SWEEP, { asOf: future.toISOString() }, { token: adminToken });
    expect(response.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const marketing = await createSignedInUser(server, ['MARKETING_STAFF']);
    const forbidden = await server.gql(SWEEP, {}, { token: marketing.token });
    expect(forbidden.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const anonymous = await server.gql(SWEEP, {});
    expect(anonymous.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });
});

describe('scheduled sweep', () => {
  it('runs inside the server at the scheduled IST time', async () => {
    // 02:00 IST on 2026-07-20 is 20:30 UTC on 2026-07-19; start the server just before it.
    const clock = new ManualClock('2026-07-19T20:29:59.900Z');
    const scheduled = await startTestServer({ SWEEP_SCHEDULE: '0 2 * * *' }, clock);
    try {
      const prisma = scheduled.database.prisma;
      const user = await prisma.user.create({ data: { name: 'Lapsed', email: 'lapsed@example.in', roles: ['CUSTOMER'] } });
      const customer = await prisma.customer.create({
        data: {
          userId: user.id,
          name: 'Lapsed',
          email: 'lapsed@example.in',
          activationStatus: 'ACTIVE',
          signupAt: new Date('2026-05-01T00:00:00Z'),
          firstOrderAt: new Date('2026-05-02T00:00:00Z'),
          lastOrderAt: new Date('2026-06-01T00:00:00Z'),
        },
      });
      clock.set('2026-07-19T20:30:00.000Z');
      await vi.waitFor(async () => expect((await prisma.customer.findUniqueOrThrow({ where: { id: customer.id } })).activationStatus).toBe('INACTIVE'), {
        timeout: 10_000,
        interval: 50,
      });
      const event = await prisma.activationEvent.findFirstOrThrow({ where: { customerId: customer.id } });
      expect(event).toMatchObject({ toStatus: 'INACTIVE', at: new Date('2026-07-01T00:00:00Z') });
    } finally {
      await scheduled.close();
    }
  });
});
