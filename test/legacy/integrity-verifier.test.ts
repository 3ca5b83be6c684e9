import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatChecks, isHealthy, verifyIntegrity } from '../../src/legacy/integrity-verifier.js';
import { runLegacyImport } from '../../src/legacy/run-import.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { SAMPLE_DIRECTORY } from './support/export-fixture.js';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
  await runLegacyImport(database.prisma, { directory: SAMPLE_DIRECTORY, asOf: new Date('2026-06-30T00:00:00Z'), dryRun: false });
});
afterAll(async () => database?.close());

describe('legacy:verify checks', () => {
  it('pass on a clean import', async () => {
    const checks = await verifyIntegrity(database.prisma);
    expect(checks.map((check) => check.name)).toEqual([
      'every import finished',
      'every customer has a user',
      'every delivery boy has a user',
      'every supplier has a user',
      'no subscription points at a missing customer',
      'no order points at a missing customer',
      'the activation dashboard tally agrees with the customers',
      'no two customers share a phone',
    ]);
    expect(isHealthy(checks)).toBe(true);
    expect(formatChecks(checks)).not.toMatch(/FAIL/);
  });

  it('fail with the offenders listed when a rule is broken', async () => {
    const prisma = database.prisma;
    const customer = await prisma.customer.findFirstOrThrow({ where: { legacyIds: { has: 'CUST_0001_0' } } });
    await prisma.user.update({ where: { id: customer.userId }, data: { roles: [] } });
    const boy = await prisma.deliveryBoy.findFirstOrThrow({ where: { legacyIds: { has: 'BOY_002' } } });
    await prisma.user.update({ where: { id: boy.userId }, data: { status: 'ARCHIVED' } });
    const supplier = await prisma.supplier.findFirstOrThrow({ where: { legacyIds: { has: 'SUP_1' } } });
    await prisma.user.update({ where: { id: supplier.userId }, data: { roles: [] } });
    const merged = await prisma.customer.findFirstOrThrow({ where: { legacyIds: { has: 'CUST_0006_0' } } });
    await prisma.customer.update({ where: { id: merged.id }, data: { mergedIntoId: customer.id } });
    await prisma.customer.updateMany({ where: { phone: '+917882001826' }, data: { phone: '07882001826' } });
    await prisma.customer.updateMany({ where: { phone: '+917828807290' }, data: { phone: '+91 78820 01826' } });
    // A write the tally's triggers never saw, as a restore with triggers disabled would make.
    const delivered = await prisma.order.findFirstOrThrow({
      where: { status: 'DELIVERED', customer: { archivedAt: null, mergedIntoId: null } },
      include: { customer: true },
    });
    await prisma.$transaction(async (tx) => {
      await tx.$executeRaw`SET LOCAL session_replication_role = replica`;
      await tx.$executeRaw`UPDATE "Order" SET "totalPaise" = "totalPaise" + 100 WHERE "id" = ${delivered.id}::uuid`;
    });

    const checks = await verifyIntegrity(prisma);
    expect(isHealthy(checks)).toBe(false);
    const byName = Object.fromEntries(checks.map((check) => [check.name, check.offenders]));
    expect(byName['every customer has a user']).toEqual([`customer ${customer.id} (CUST_0001_0)`]);
    expect(byName['every delivery boy has a user']).toEqual([`delivery boy ${boy.id} (BOY_002)`]);
    expect(byName['every supplier has a user']).toEqual([`supplier ${supplier.id} (SUP_1)`]);
    expect(byName['no subscription points at a missing customer']).toHaveLength(2);
    expect(byName['no order points at a missing customer'].some((line) => line.includes('(ORD_0006_0)'))).toBe(true);
    expect(byName['the activation dashboard tally agrees with the customers']).toEqual([
      expect.stringMatching(/^tally \d{4}-\d{2}-\d{2} (ACTIVE|INACTIVE): counted \d+ customers, \d+ paise; found \d+, \d+$/),
    ]);
    expect(byName['no two customers share a phone']).toEqual([expect.stringMatching(/^phone \+917882001826: customers /)]);
    expect(formatChecks(checks)).toMatch(/FAIL every customer has a user \(1\)/);
  });
});
