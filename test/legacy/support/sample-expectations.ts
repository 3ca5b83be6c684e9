// Reads the sample's expected report and computes the same figures from the database by SQL.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { PrismaClient } from '../../../src/generated/prisma/client.js';
import { SAMPLE_DIRECTORY } from './export-fixture.js';

export interface ExpectedPerson {
  phone: string | null;
  email: string | null;
  status: string;
  customerIds: string[];
  legacyUser: string | null;
  multiRole: boolean;
}

export const EXPECTED = JSON.parse(readFileSync(path.join(SAMPLE_DIRECTORY, 'expected-report.json'), 'utf8'));
export const SPEC_REPORT_KEYS = [
  'asOf',
  'read',
  'customers',
  'users',
  'deliveryBoys',
  'suppliers',
  'products',
  'orders',
  'subscriptions',
  'activation',
  'productsPaise',
];

export async function personsFromDatabase(prisma: PrismaClient) {
  return prisma.$queryRawUnsafe<Array<ExpectedPerson & { userEmail: string | null; customerEmail: string | null; passwordHash: string | null }>>(`
    SELECT u.phone, c.email AS "customerEmail", u.email AS "userEmail", c."activationStatus"::text AS status,
           (SELECT coalesce(array_agg(id ORDER BY id), '{}') FROM unnest(c."legacyIds") AS id) AS "customerIds",
           (SELECT l."legacyId" FROM "LegacyLink" l WHERE l.collection = 'users' AND l."entityId" = u.id) AS "legacyUser",
           cardinality(u.roles) > 1 AS "multiRole", u."passwordHash"
    FROM "Customer" c JOIN "User" u ON u.id = c."userId"
    WHERE c."archivedAt" IS NULL AND c."mergedIntoId" IS NULL`);
}

export async function boysFromDatabase(prisma: PrismaClient) {
  const rows = await prisma.$queryRawUnsafe<Array<{ id: string; phone: string; deliveries: number; earnedPaise: number }>>(`
    SELECT d."legacyIds"[1] AS id, u.phone, count(x.id)::int AS deliveries, coalesce(sum(x."ratePaise"), 0)::int AS "earnedPaise"
    FROM "DeliveryBoy" d JOIN "User" u ON u.id = d."userId" LEFT JOIN "Delivery" x ON x."deliveryBoyId" = d.id
    GROUP BY 1, 2`);
  return Object.fromEntries(rows.map(({ id, ...boy }) => [id, boy]));
}

const rate = (numerator: number, denominator: number) => (denominator === 0 ? null : Math.round((numerator / denominator) * 10000) / 10000);

/** SPEC §5 over the imported tables (a small stand-in for the activation module's dashboard). */
export async function dashboardFromDatabase(prisma: PrismaClient, asOf: Date) {
  const [counts] = await prisma.$queryRawUnsafe<Array<Record<string, number>>>(
    `SELECT count(*)::int AS total,
            count(*) FILTER (WHERE "activationStatus" = 'NEW')::int AS new,
            count(*) FILTER (WHERE "activationStatus" = 'ONBOARDED')::int AS onboarded,
            count(*) FILTER (WHERE "activationStatus" = 'ACTIVE')::int AS active,
            count(*) FILTER (WHERE "activationStatus" = 'INACTIVE')::int AS inactive,
            count(*) FILTER (WHERE "firstOrderAt" IS NOT NULL)::int AS ordered,
            count(*) FILTER (WHERE "firstDeliveryAt" <= $1::timestamptz - interval '30 days')::int AS cohort,
            count(*) FILTER (WHERE "firstDeliveryAt" <= $1::timestamptz - interval '30 days' AND "activationStatus" = 'ACTIVE')::int AS retained
     FROM "Customer" WHERE "archivedAt" IS NULL AND "mergedIntoId" IS NULL`,
    asOf,
  );
  const revenue = await prisma.$queryRawUnsafe<Array<{ status: string; paise: number }>>(
    `SELECT c."activationStatus"::text AS status, coalesce(sum(o."totalPaise"), 0)::int AS paise
     FROM "Customer" c LEFT JOIN "Order" o ON o."customerId" = c.id AND o.status = 'DELIVERED'
     WHERE c."archivedAt" IS NULL AND c."mergedIntoId" IS NULL GROUP BY 1`,
  );
  const revenuePaise = { NEW: 0, ONBOARDED: 0, ACTIVE: 0, INACTIVE: 0, ...Object.fromEntries(revenue.map((row) => [row.status, row.paise])) };
  return {
    totalCustomers: counts.total,
    new: counts.new,
    onboarded: counts.onboarded,
    active: counts.active,
    inactive: counts.inactive,
    signupToFirstOrder: rate(counts.ordered, counts.total),
    firstOrderToActive: rate(counts.active, counts.ordered),
    activeRetention: rate(counts.retained, counts.cohort),
    revenuePaise,
  };
}
