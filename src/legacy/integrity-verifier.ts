// `legacy:verify` (SPEC §9): the integrity rules the old seed's cleanup scripts checked, as SQL over the
// whole database. Foreign keys already guarantee that referenced rows exist, so "has a user" and "points
// at a customer" also require that row to be usable: not archived, not merged away, holding the role.
import type { PrismaClient } from '../generated/prisma/client.js';
import { normalisePhone } from '../shared/identifiers.js';
import { unfinishedImports } from './import-runs.js';

interface IntegrityCheck {
  name: string;
  offenders: string[];
  /** Offenders beyond the listed ones. */
  more: number;
}

const LIST_LIMIT = 50;

interface CheckQuery {
  name: string;
  sql: string;
}

// Each query returns one `offender` text per row; the count comes from the same query, unlimited.
const CHECKS: CheckQuery[] = [
  {
    name: 'every customer has a user',
    sql: `SELECT 'customer ' || c.id || ' (' || array_to_string(c."legacyIds", ',') || ')' AS offender
          FROM "Customer" c LEFT JOIN "User" u ON u.id = c."userId"
          WHERE c."archivedAt" IS NULL AND c."mergedIntoId" IS NULL
            AND (u.id IS NULL OR u.status = 'ARCHIVED' OR NOT ('CUSTOMER' = ANY(u.roles)))`,
  },
  {
    name: 'every delivery boy has a user',
    sql: `SELECT 'delivery boy ' || d.id || ' (' || array_to_string(d."legacyIds", ',') || ')' AS offender
          FROM "DeliveryBoy" d LEFT JOIN "User" u ON u.id = d."userId"
          WHERE u.id IS NULL OR u.status = 'ARCHIVED' OR NOT ('DELIVERY_BOY' = ANY(u.roles))`,
  },
  {
    name: 'every supplier has a user',
    sql: `SELECT 'supplier ' || s.id || ' (' || array_to_string(s."legacyIds", ',') || ')' AS offender
          FROM "Supplier" s LEFT JOIN "User" u ON u.id = s."userId"
          WHERE u.id IS NULL OR u.status = 'ARCHIVED' OR NOT ('SUPPLIER' = ANY(u.roles))`,
  },
  {
    name: 'no subscription points at a missing customer',
    sql: `SELECT 'subscription ' || s.id || coalesce(' (' || s."legacyId" || ')', '') AS offender
          FROM "Subscription" s LEFT JOIN "Customer" c ON c.id = s."customerId"
          WHERE c.id IS NULL OR c."archivedAt" IS NOT NULL OR c."mergedIntoId" IS NOT NULL`,
  },
  {
    name: 'no order points at a missing customer',
    sql: `SELECT 'order ' || o.id || coalesce(' (' || o."legacyId" || ')', '') AS offender
          FROM "Order" o LEFT JOIN "Customer" c ON c.id = o."customerId"
          WHERE c.id IS NULL OR c."archivedAt" IS NOT NULL OR c."mergedIntoId" IS NOT NULL`,
  },
  {
    // The dashboard reads the running tally the database triggers keep; a write that bypassed them
    // (a TRUNCATE, triggers disabled during a restore) shows here as a key whose totals disagree.
    name: 'the activation dashboard tally agrees with the customers',
    sql: `SELECT 'tally ' || to_char("signupDay", 'YYYY-MM-DD') || ' ' || "status" || ': counted ' || coalesce(t."customers", 0) || ' customers, '
            || coalesce(t."paise", 0) || ' paise; found ' || coalesce(d."customers", 0) || ', ' || coalesce(d."paise", 0) AS offender
          FROM (
            SELECT "signupDay", "status", "ordered", "firstDeliveryDay", sum("customers") AS "customers", sum("revenuePaise") AS "paise"
            FROM (SELECT "signupDay", "status", "ordered", "firstDeliveryDay", "customers", "revenuePaise" FROM "ActivationTally"
                  UNION ALL
                  SELECT "signupDay", "status", "ordered", "firstDeliveryDay", "customers", "revenuePaise" FROM "ActivationTallyChange") AS kept
            GROUP BY 1, 2, 3, 4
          ) AS t
          FULL JOIN (
            SELECT "activation_ist_day"(c."signupAt") AS "signupDay", c."activationStatus" AS "status", c."firstOrderAt" IS NOT NULL AS "ordered",
              COALESCE("activation_ist_day"(c."firstDeliveryAt"), 'infinity') AS "firstDeliveryDay", count(*) AS "customers",
              COALESCE(sum(r."paise"), 0) AS "paise"
            FROM "Customer" c
            LEFT JOIN (SELECT "customerId", sum("totalPaise") AS "paise" FROM "Order" WHERE "status" = 'DELIVERED' GROUP BY 1) r ON r."customerId" = c.id
            WHERE c."archivedAt" IS NULL AND c."mergedIntoId" IS NULL
            GROUP BY 1, 2, 3, 4
          ) AS d USING ("signupDay", "status", "ordered", "firstDeliveryDay")
          WHERE coalesce(t."customers", 0) <> coalesce(d."customers", 0) OR coalesce(t."paise", 0) <> coalesce(d."paise", 0)`,
  },
];

async function runQuery(prisma: PrismaClient, query: CheckQuery): Promise<IntegrityCheck> {
  const rows = await prisma.$queryRawUnsafe<Array<{ offender: string; total: number }>>(
    `SELECT offender, (count(*) OVER ())::int AS total FROM (${query.sql}) AS offenders ORDER BY offender LIMIT ${LIST_LIMIT}`,
  );
  const total = rows[0]?.total ?? 0;
  return { name: query.name, offenders: rows.map((row) => row.offender), more: Math.max(0, total - rows.length) };
}

/**
 * The unique index only stops identical text; a phone stored in two spellings of one number (`+91…`
 * and a bare ten digits, by a script that skipped normalisation) is the same person twice.
 */
async function sharedPhones(prisma: PrismaClient): Promise<IntegrityCheck> {
  const holders = new Map<string, string[]>();
  let cursor: string | undefined;
  for (;;) {
    const page = await prisma.customer.findMany({
      where: { phone: { not: null }, archivedAt: null, mergedIntoId: null },
      select: { id: true, phone: true },
      orderBy: { id: 'asc' },
      take: 5000,
      ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
    });
    for (const row of page) {
      const normalised = normalisePhone(row.phone as string);
      const phone = normalised.ok ? normalised.value : (row.phone as string);
      holders.set(phone, [...(holders.get(phone) ?? []), row.id]);
    }
    if (page.length < 5000) break;
    cursor = page[page.length - 1].id;
  }
  const offenders = [...holders.entries()]
    .filter(([, ids]) => ids.length > 1)
    .map(([phone, ids]) => `phone ${phone}: customers ${ids.join(', ')}`)
    .sort();
  return { name: 'no two customers share a phone', offenders: offenders.slice(0, LIST_LIMIT), more: Math.max(0, offenders.length - LIST_LIMIT) };
}

export async function verifyIntegrity(prisma: PrismaClient): Promise<IntegrityCheck[]> {
  // Completeness first: the other checks pass on an import stopped half way.
  const unfinished = await unfinishedImports(prisma);
  const results: IntegrityCheck[] = [
    { name: 'every import finished', offenders: unfinished.slice(0, LIST_LIMIT), more: Math.max(0, unfinished.length - LIST_LIMIT) },
  ];
  for (const query of CHECKS) results.push(await runQuery(prisma, query));
  results.push(await sharedPhones(prisma));
  return results;
}

export function isHealthy(checks: IntegrityCheck[]): boolean {
  return checks.every((check) => check.offenders.length === 0);
}

export function formatChecks(checks: IntegrityCheck[]): string {
  return checks
    .flatMap((check) => {
      const count = check.offenders.length + check.more;
      const head = `${count === 0 ? 'ok  ' : 'FAIL'} ${check.name}${count === 0 ? '' : ` (${count})`}`;
      const tail = check.more > 0 ? [`       … and ${check.more} more`] : [];
      return [head, ...check.offenders.map((offender) => `       ${offender}`), ...tail];
    })
    .join('\n');
}
