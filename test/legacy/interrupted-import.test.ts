// A failure in the middle of an import (here a trigger that rejects one merged customer, standing in for
// a lost connection or a full disk) leaves every finished merge whole, and the same command completes it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatChecks, isHealthy, verifyIntegrity } from '../../src/legacy/integrity-verifier.js';
import { runLegacyImport } from '../../src/legacy/run-import.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { dumpDatabase, rowCounts } from './support/database-dump.js';
import { SAMPLE_DIRECTORY } from './support/export-fixture.js';
import { EXPECTED, SPEC_REPORT_KEYS } from './support/sample-expectations.js';

const asOf = new Date('2026-06-30T00:00:00Z');
let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
  await database.prisma.$executeRawUnsafe(`
    CREATE FUNCTION legacy_test_failure() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF 'CUST_0016_0' = ANY(NEW."legacyIds") THEN RAISE EXCEPTION 'simulated failure while merging CUST_0016_0'; END IF;
      RETURN NEW;
    END $$`);
  await database.prisma.$executeRawUnsafe(`CREATE TRIGGER legacy_test_failure BEFORE INSERT ON "Customer" FOR EACH ROW EXECUTE FUNCTION legacy_test_failure()`);
});
afterAll(async () => database?.close());

describe('an import that fails half way', () => {
  it('keeps each finished merge whole and writes nothing of the failed one', async () => {
    await expect(runLegacyImport(database.prisma, { directory: SAMPLE_DIRECTORY, asOf, dryRun: false })).rejects.toThrow(/simulated failure/);
    const logs = await database.prisma.mergeLog.findMany({ orderBy: { survivorLegacyId: 'asc' } });
    expect(logs.map((log) => log.survivorLegacyId)).toEqual(['CUST_0006_0', 'CUST_0010_1', 'CUST_0015_1']);
    for (const log of logs) {
      const survivor = await database.prisma.customer.findUniqueOrThrow({ where: { id: log.survivorCustomerId }, include: { subscriptions: true } });
      const links = await database.prisma.legacyLink.findMany({ where: { collection: 'customers_v2', entityId: survivor.id } });
      expect(links.map((link) => link.legacyId).sort()).toEqual([log.survivorLegacyId, ...log.mergedLegacyIds].sort());
      expect(survivor.legacyIds.sort()).toEqual([log.survivorLegacyId, ...log.mergedLegacyIds].sort());
      const memberSubscriptions = await database.prisma.subscription.count({ where: { customerId: survivor.id } });
      expect(memberSubscriptions).toBe(survivor.subscriptions.length);
      expect(memberSubscriptions).toBeGreaterThan(0);
    }
    // Its login-less user was committed by the users phase before; the merge itself left nothing.
    expect(await database.prisma.legacyLink.count({ where: { collection: 'customers_v2', legacyId: { startsWith: 'CUST_0016' } } })).toBe(0);
    expect(await database.prisma.mergeLog.count({ where: { survivorLegacyId: 'CUST_0016_0' } })).toBe(0);
    expect(await database.prisma.subscription.count({ where: { legacyId: { startsWith: 'SUB_CUST_0016' } } })).toBe(0);
    expect(await database.prisma.order.count()).toBe(0);
  });

  it('fails legacy:verify while the import is unfinished, naming when it started and what to do', async () => {
    const [run] = await database.prisma.importRun.findMany();
    expect(run).toMatchObject({ finishedAt: null, attempts: 1, exportDigest: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const checks = await verifyIntegrity(database.prisma);
    expect(isHealthy(checks)).toBe(false);
    // Every other check passes: the data written so far is consistent, only incomplete.
    expect(checks.filter((check) => check.offenders.length > 0).map((check) => check.name)).toEqual(['every import finished']);
    expect(checks[0].offenders).toEqual([
      `import ${run.id} started ${run.startedAt.toISOString()} (export digest ${run.exportDigest.slice(0, 12)}, 1 attempt) never finished: ` +
        'the data is incomplete; run `npm run legacy:import -- --dir <folder>` again with the same export to complete it',
    ]);
    expect(formatChecks(checks)).toMatch(/^FAIL every import finished \(1\)$/m);
  });

  it('completes when the same import runs again, ending where one clean run ends', async () => {
    await database.prisma.$executeRawUnsafe('DROP TRIGGER legacy_test_failure ON "Customer"');
    const report = await runLegacyImport(database.prisma, { directory: SAMPLE_DIRECTORY, asOf, dryRun: false });
    for (const key of SPEC_REPORT_KEYS) expect((report as unknown as Record<string, unknown>)[key]).toEqual(EXPECTED[key]);
    expect(isHealthy(await verifyIntegrity(database.prisma))).toBe(true);
    const runs = await database.prisma.importRun.findMany();
    expect(runs.length).toBe(1);
    expect(runs[0].attempts).toBe(2);
    expect(runs[0].finishedAt).not.toBeNull();
    // A third run of the finished export writes nothing and leaves its record as it is.
    const before = await dumpDatabase(database.prisma);
    await runLegacyImport(database.prisma, { directory: SAMPLE_DIRECTORY, asOf, dryRun: false });
    expect(await dumpDatabase(database.prisma)).toEqual(before);
    const clean = await createTestDatabase();
    try {
      await runLegacyImport(clean.prisma, { directory: SAMPLE_DIRECTORY, asOf, dryRun: false });
      expect(rowCounts(await dumpDatabase(database.prisma))).toEqual(rowCounts(await dumpDatabase(clean.prisma)));
      const statuses = async (handle: TestDatabase) =>
        (await handle.prisma.customer.findMany({ select: { legacyIds: true, activationStatus: true, signupAt: true, firstDeliveryAt: true, churnedAt: true } }))
          .map((row) => JSON.stringify(row))
          .sort();
      expect(await statuses(database)).toEqual(await statuses(clean));
    } finally {
      await clean.close();
    }
  });
});
