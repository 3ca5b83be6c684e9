// The shared sample export imported into a real database: the report, each person, each delivery boy
// and the activation dashboard must equal docs/legacy/sample/expected-report.json.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLegacyImport } from '../../src/legacy/run-import.js';
import type { ImportReport } from '../../src/legacy/import-report.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { dumpDatabase } from './support/database-dump.js';
import { SAMPLE_DIRECTORY } from './support/export-fixture.js';
import {
  boysFromDatabase,
  dashboardFromDatabase,
  EXPECTED,
  personsFromDatabase,
  SPEC_REPORT_KEYS,
  type ExpectedPerson,
} from './support/sample-expectations.js';

const asOf = new Date('2026-06-30T00:00:00Z');
let database: TestDatabase;
let report: ImportReport;

beforeAll(async () => {
  database = await createTestDatabase();
  report = await runLegacyImport(database.prisma, { directory: SAMPLE_DIRECTORY, asOf, dryRun: false, batchSize: 7 });
});
afterAll(async () => database?.close());

describe('importing the shared sample', () => {
  it('reports exactly the expected figures', () => {
    for (const key of SPEC_REPORT_KEYS) expect({ [key]: (report as unknown as Record<string, unknown>)[key] }).toEqual({ [key]: EXPECTED[key] });
    expect(report.dryRun).toBe(false);
    expect(report.problems.length).toBeGreaterThan(0);
    expect(report.problems.every((problem) => problem.collection && problem.reason)).toBe(true);
  });

  it('makes each expected person, with its status, records, login and roles', async () => {
    const persons = await personsFromDatabase(database.prisma);
    const key = (person: { phone: string | null; customerIds: string[]; legacyUser: string | null }) =>
      person.phone ?? person.customerIds.join() ?? person.legacyUser;
    const actual = new Map(persons.map((person) => [key(person), person]));
    expect(persons).toHaveLength(EXPECTED.persons.length);
    for (const expected of EXPECTED.persons as ExpectedPerson[]) {
      const person = actual.get(key(expected));
      expect(person, JSON.stringify(expected)).toBeDefined();
      expect({
        phone: person?.phone,
        status: person?.status,
        customerIds: person?.customerIds,
        legacyUser: person?.legacyUser,
        multiRole: person?.multiRole,
      }).toEqual({
        phone: expected.phone,
        status: expected.status,
        customerIds: [...expected.customerIds].sort(),
        legacyUser: expected.legacyUser,
        multiRole: expected.multiRole,
      });
      if (expected.email !== null) expect([person?.customerEmail, person?.userEmail]).toContain(expected.email);
    }
  });

  it('gives each delivery boy his deliveries and earnings from Delivery rows', async () => {
    expect(await boysFromDatabase(database.prisma)).toEqual(EXPECTED.boys);
  });

  it('yields the expected activation dashboard', async () => {
    const dashboard = await dashboardFromDatabase(database.prisma, asOf);
    expect(dashboard).toEqual(EXPECTED.dashboard);
  });

  it('keeps legacy password hashes and makes claimable login-less users', async () => {
    const users = await database.prisma.user.findMany({ where: { legacyIds: { hasSome: ['USER_0011', 'USER_0006', 'USER_0000', 'USER_MKT_0'] } } });
    const byId = Object.fromEntries(users.map((user) => [user.legacyIds[0], user]));
    expect(byId.USER_0011).toMatchObject({
      passwordScheme: 'BCRYPT',
      passwordHash: `$2b$10$${'b'.repeat(53)}`,
      phone: '+918634786122',
      email: 'person11@mail.example',
    });
    expect(byId.USER_0006).toMatchObject({ passwordScheme: 'SHA256', passwordHash: '414e473c518c7b56659e6f048c44c972788b31f3d88744c448b1e314dfc67afc' });
    expect(byId.USER_MKT_0).toMatchObject({ passwordHash: null, roles: ['MARKETING_STAFF'], phone: '+916590830166' });
    expect(byId.USER_0000.createdAt.toISOString()).toBe('2025-05-06T23:00:00.000Z');
    // CUST_0001_0 had no login: its user has its phone and no password, so OTP on that phone claims it.
    const claimable = await database.prisma.user.findUniqueOrThrow({ where: { phone: '+917633875004' }, include: { customer: true } });
    expect(claimable).toMatchObject({
      passwordHash: null,
      passwordScheme: null,
      roles: ['CUSTOMER'],
      status: 'ACTIVE',
      email: 'person1@mail.example',
      legacyIds: [],
    });
    expect(claimable.customer?.legacyIds).toEqual(['CUST_0001_0']);
    const boy = await database.prisma.user.findUniqueOrThrow({ where: { phone: '+917819482199' } });
    expect(boy.roles).toEqual(['CUSTOMER', 'DELIVERY_BOY']);
  });

  it('writes one merge log per merge with the before-images, and no messages', async () => {
    const logs = await database.prisma.mergeLog.findMany({ orderBy: { survivorLegacyId: 'asc' } });
    expect(logs.map((log) => [log.survivorLegacyId, log.mergedLegacyIds])).toEqual([
      ['CUST_0006_0', ['CUST_0006_1']],
      ['CUST_0010_1', ['CUST_0010_0']],
      ['CUST_0015_1', ['CUST_0015_2', 'CUST_0015_0']],
      ['CUST_0016_0', ['CUST_0016_2', 'CUST_0016_1']],
      ['CUST_0025_1', ['CUST_0025_0']],
    ]);
    const fifteen = logs[2].beforeImages as { customers: Array<{ id: string; email?: string }>; movedSubscriptions: Array<{ id: string }> };
    expect(fifteen.customers.map((customer) => customer.id)).toEqual(['CUST_0015_1', 'CUST_0015_2', 'CUST_0015_0']);
    expect(fifteen.customers[0].email).toBe('PERSON15@MAIL.EXAMPLE');
    expect(fifteen.movedSubscriptions).toEqual([{ id: 'SUB_CUST_0015_2_0', customer_id: 'CUST_0015_2' }]);
    const survivor = await database.prisma.customer.findUniqueOrThrow({ where: { id: logs[2].survivorCustomerId }, include: { subscriptions: true } });
    expect(survivor.subscriptions.map((subscription) => subscription.legacyId).sort()).toEqual(['SUB_CUST_0015_1_0', 'SUB_CUST_0015_2_0']);
    expect(await database.prisma.outboxMessage.count()).toBe(0);
    const events = await database.prisma.activationEvent.findMany();
    expect(events).toHaveLength(30);
    expect(new Set(events.map((event) => event.reason))).toEqual(new Set(['legacy-import']));
  });

  it('keeps every set-aside document whole', async () => {
    const quarantined = await database.prisma.legacyQuarantine.findMany({ orderBy: [{ collection: 'asc' }, { legacyId: 'asc' }] });
    expect(quarantined.map((row) => [row.collection, row.legacyId, row.reason])).toEqual([
      ['customers_v2', 'CUST_BADPHONE_0', 'INVALID_PHONE'],
      ['orders', 'ORD_GHOST_0', 'OWNER_NOT_FOUND'],
      ['orders', 'ORD_GHOST_1', 'OWNER_NOT_FOUND'],
      ['orders', 'ORD_GHOST_2', 'OWNER_NOT_FOUND'],
      ['subscriptions_v2', 'SUB_GHOST_0', 'OWNER_NOT_FOUND'],
      ['subscriptions_v2', 'SUB_GHOST_1', 'OWNER_NOT_FOUND'],
    ]);
    // Read back from the export when written: the plan keeps no documents.
    expect(quarantined[0].document).toMatchObject({ id: 'CUST_BADPHONE_0', phone: '12345', _id: { $oid: '0681edaf27db11733f2b7713' } });
    expect(quarantined[4].document).toMatchObject({ id: 'SUB_GHOST_0', customer_id: 'CUST_GHOST_0' });
    expect(quarantined[1].document).toMatchObject({ id: 'ORD_GHOST_0', user_id: 'USER_GHOST_0', _id: { $oid: 'a0d09c621d98a4747a3ff311' } });
    const archived = await database.prisma.legacyArchive.findMany({ orderBy: { legacyId: 'asc' } });
    expect(archived.map((row) => row.legacyId)).toEqual(['USER_0002', 'USER_0009']);
    expect(archived[1].document).toMatchObject({ email: '  Person9@Mail.Example ', password_hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
  });

  it('changes nothing when the same files are imported again', async () => {
    const before = await dumpDatabase(database.prisma);
    const again = await runLegacyImport(database.prisma, { directory: SAMPLE_DIRECTORY, asOf, dryRun: false });
    expect(again).toEqual(report);
    expect(await dumpDatabase(database.prisma)).toEqual(before);
  });
});

describe('a dry run', () => {
  it('writes nothing and reports the same as the real run', async () => {
    const fresh = await createTestDatabase();
    try {
      const before = await dumpDatabase(fresh.prisma);
      const dry = await runLegacyImport(fresh.prisma, { directory: SAMPLE_DIRECTORY, asOf, dryRun: true });
      expect(await dumpDatabase(fresh.prisma)).toEqual(before);
      expect({ ...dry, dryRun: false }).toEqual(report);
      expect(dry.dryRun).toBe(true);
    } finally {
      await fresh.close();
    }
  });
});
