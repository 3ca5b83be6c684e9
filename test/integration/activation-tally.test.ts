import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ActivationTallyRepository } from '../../src/modules/activation/activation-tally.repository.js';
import { retentionCutoff, type CohortFilter } from '../../src/modules/activation/dashboard.cohort.js';
import { buildDashboard } from '../../src/modules/activation/dashboard.figures.js';
import { DashboardRepository } from '../../src/modules/activation/dashboard.repository.js';
import { scanDashboardRows } from '../../bench/dashboard-scan.js';
import {
  createCustomer,
  createCustomerInState,
  createSignedInUser,
  deliverOrder,
  insertOrder,
  placeOrderAt,
  type ActivationStatusName,
} from '../support/testkit/index.js';
import { startTestServer, type TestServer } from '../support/server.js';

// The running tally behind the dashboard is kept by database triggers: whatever writes customers and
// orders (the services, the importer, a script), the dashboard must equal the figures computed from every
// row. Populations and changes here come from a seeded generator, so a failure replays exactly.

const DAY = 86_400_000;
let server: TestServer;
let adminToken: string;
let now: Date;

function generator(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state * 1_664_525 + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
  return {
    next,
    integer: (below: number) => Math.floor(next() * below),
    pick: <T>(items: readonly T[]) => items[Math.floor(next() * items.length)],
  };
}
type Generator = ReturnType<typeof generator>;

/** An instant within 120 days before now, often close to an IST midnight (the tally's day boundary). */
function instant(random: Generator): Date {
  const day = now.getTime() - (1 + random.integer(120)) * DAY;
  const istMidnight = day - ((day + 19_800_000) % DAY);
  const offsets = [0, 1, -1, 60_000, -60_000, random.integer(DAY)];
  return new Date(istMidnight + random.pick(offsets));
}

async function populate(random: Generator, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let index = 0; index < count; index += 1) {
    const status = random.pick<ActivationStatusName>(['NEW', 'ONBOARDED', 'ACTIVE', 'INACTIVE']);
    const signupAt = instant(random);
    const firstOrderAt = status === 'NEW' ? null : new Date(signupAt.getTime() + random.integer(3 * DAY));
    const firstDeliveryAt = status === 'ACTIVE' || status === 'INACTIVE' ? new Date(firstOrderAt!.getTime() + random.integer(2 * DAY)) : null;
    const customer = await createCustomerInState(server, { status, signupAt, firstOrderAt, firstDeliveryAt, archivedAt: random.next() < 0.1 ? now : null });
    ids.push(customer.id);
    for (let order = 0; order < random.integer(4); order += 1) {
      const delivered = firstDeliveryAt !== null && random.next() < 0.7;
      await insertOrder(server, customer.id, {
        placedAt: firstOrderAt ?? signupAt,
        totalPaise: 1_000 + random.integer(20_000),
        status: delivered ? 'DELIVERED' : random.pick(['PLACED', 'CANCELLED', 'NOT_DELIVERED'] as const),
        deliveredAt: delivered ? firstDeliveryAt : null,
      });
    }
  }
  return ids;
}

/** Changes of every kind the tally must follow, made the way the code and the importer make them. */
async function change(random: Generator, ids: string[]): Promise<void> {
  const prisma = server.database.prisma;
  for (let step = 0; step < 25; step += 1) {
    const id = random.pick(ids);
    switch (random.integer(8)) {
      case 0: {
        const order = await placeOrderAt(server, id, new Date(now.getTime() - random.integer(40) * DAY), 2_000 + random.integer(9_000));
        if (random.next() < 0.6) await deliverOrder(server, order.id, new Date(now.getTime() - random.integer(30) * DAY));
        break;
      }
      case 1: // a delivered order is cancelled, or a cancelled one corrected to delivered
        await prisma.$executeRaw`UPDATE "Order" SET "status" = CASE WHEN "status" = 'DELIVERED' THEN 'CANCELLED'::"OrderStatus" ELSE 'DELIVERED'::"OrderStatus" END
          WHERE "id" = (SELECT "id" FROM "Order" WHERE "customerId" = ${id}::uuid ORDER BY "id" LIMIT 1)`;
        break;
      case 2: // a merge: the orders move to a survivor and the duplicate is marked merged
        {
          const survivor = random.pick(ids);
          if (survivor === id) break;
          await prisma.$transaction([
            prisma.order.updateMany({ where: { customerId: id }, data: { customerId: survivor } }),
            prisma.customer.update({ where: { id }, data: { mergedIntoId: survivor } }),
          ]);
        }
        break;
      case 3:
        await prisma.customer.update({ where: { id }, data: { archivedAt: random.next() < 0.5 ? now : null } });
        break;
      case 4:
        await prisma.customer.update({ where: { id }, data: { signupAt: instant(random) } });
        break;
      case 5:
        await prisma.$executeRaw`DELETE FROM "Order" WHERE "id" = (SELECT "id" FROM "Order" WHERE "customerId" = ${id}::uuid ORDER BY "id" DESC LIMIT 1)`;
        break;
      case 6: // a bulk statement over many customers at once, as the sweep and the importer write
        await prisma.$executeRaw`UPDATE "Customer" SET "activationStatus" = 'INACTIVE', "churnedAt" = ${now}
          WHERE "activationStatus" IN ('ONBOARDED', 'ACTIVE') AND "signupAt" < ${new Date(now.getTime() - random.integer(120) * DAY)}`;
        break;
      default: // an update that moves nothing the tally keeps
        await prisma.customer.update({ where: { id }, data: { lastContactAt: now, area: `Area ${random.integer(9)}` } });
    }
  }
}

function cohorts(random: Generator): { filter: CohortFilter; asOf: Date }[] {
  const cases: { filter: CohortFilter; asOf: Date }[] = [{ filter: { signupFrom: null, signupTo: null }, asOf: now }];
  for (let index = 0; index < 12; index += 1) {
    const a = instant(random);
    const b = random.next() < 0.3 ? new Date(a.getTime() + random.integer(2 * DAY)) : instant(random);
    const [from, to] = a < b ? [a, b] : [b, a];
    if (from.getTime() === to.getTime()) continue;
    cases.push({
      filter: { signupFrom: random.next() < 0.15 ? null : from, signupTo: random.next() < 0.15 ? null : to },
      asOf: new Date(now.getTime() - random.integer(90) * DAY + random.pick([0, 1, -1, random.integer(DAY)])),
    });
  }
  return cases;
}

async function expectTallyMatchesRows(random: Generator): Promise<void> {
  const repository = new DashboardRepository(server.database.prisma);
  for (const { filter, asOf } of cohorts(random)) {
    const retention = retentionCutoff(new Date(asOf.getTime() - 30 * DAY));
    const fromTally = await repository.figures(filter, retention);
    const fromRows = await scanDashboardRows(server.database.prisma, filter, retention.cutoff);
    const label = JSON.stringify({ filter, asOf });
    expect(buildDashboard(asOf, fromTally.cohortRows, fromTally.revenueRows), label).toEqual(buildDashboard(asOf, fromRows.cohortRows, fromRows.revenueRows));
  }
}

beforeAll(async () => {
  server = await startTestServer();
  adminToken = (await createSignedInUser(server, ['ADMIN'])).token;
  now = server.clock.now();
});
afterAll(async () => server?.close());

describe('activation tally', () => {
  it('equals the figures computed from every customer, before and after its changes are folded in', async () => {
    const random = generator(20_261_201);
    const tally = new ActivationTallyRepository(server.database.prisma);
    const ids = await populate(random, 40);
    await createCustomer(server, { signupAt: instant(random) });
    await expectTallyMatchesRows(random);
    expect(await tally.compact()).toBeGreaterThan(0);
    await expectTallyMatchesRows(random);
    for (let round = 0; round < 3; round += 1) {
      await change(random, ids);
      await expectTallyMatchesRows(random); // changes pending
      await tally.compact();
      await expectTallyMatchesRows(random); // folded
    }
    await tally.prune();
    await expectTallyMatchesRows(random);
    const [{ empty }] = await server.database.prisma.$queryRaw<{ empty: number }[]>`
      SELECT count(*)::int AS "empty" FROM "ActivationTally" WHERE "customers" = 0 AND "revenuePaise" = 0`;
    expect(empty).toBe(0);
  });

  it('keeps every total whole when deliveries and orders of many customers commit at once', async () => {
    const random = generator(7);
    const ids = await Promise.all(Array.from({ length: 12 }, () => createCustomer(server, { signupAt: instant(random) }).then((customer) => customer.id)));
    const orders = await Promise.all(ids.map((id) => placeOrderAt(server, id, new Date(now.getTime() - 2 * DAY))));
    await Promise.all([
      ...orders.map((order) => deliverOrder(server, order.id, new Date(now.getTime() - DAY))),
      ...ids.map((id) => placeOrderAt(server, id, now)),
      new ActivationTallyRepository(server.database.prisma).compact(),
    ]);
    await expectTallyMatchesRows(random);
    const response = await server.gql(`{ activationDashboard { totalCustomers revenueByStatus { active { paise } } } }`, {}, { token: adminToken });
    const reference = await scanDashboardRows(server.database.prisma, { signupFrom: null, signupTo: null }, now);
    expect(response.data.activationDashboard).toEqual({
      totalCustomers: reference.cohortRows.reduce((sum, row) => sum + row.customers, 0),
      revenueByStatus: { active: { paise: reference.revenueRows.filter((row) => row.status === 'ACTIVE').reduce((sum, row) => sum + row.paise, 0) } },
    });
    const [{ pending }] = await server.database.prisma.$queryRaw<{ pending: number }[]>`SELECT count(*)::int AS "pending" FROM "ActivationTallyChange"`;
    expect(pending).toBe(0); // the dashboard folded them in before answering
  });
});
