// The activation dashboard computed the slow, obvious way, one aggregate over every customer and their
// orders: the baseline of the dashboard benchmark, and the reference the tests check the tally against.
import type { DatabaseClient } from '../src/db/client.js';
import { Prisma } from '../src/generated/prisma/client.js';
import type { CohortFilter } from '../src/modules/activation/dashboard.cohort.js';
import type { DashboardRows } from '../src/modules/activation/dashboard.repository.js';

export async function scanDashboardRows(db: DatabaseClient, filter: CohortFilter, retentionCutoff: Date): Promise<DashboardRows> {
  const conditions = [Prisma.sql`c."archivedAt" IS NULL`, Prisma.sql`c."mergedIntoId" IS NULL`];
  if (filter.signupFrom) conditions.push(Prisma.sql`c."signupAt" >= ${filter.signupFrom}`);
  if (filter.signupTo) conditions.push(Prisma.sql`c."signupAt" < ${filter.signupTo}`);
  const rows = await db.$queryRaw<
    { month: string; status: 'NEW' | 'ONBOARDED' | 'ACTIVE' | 'INACTIVE'; customers: number; withFirstOrder: number; retentionBase: number; paise: bigint }[]
  >`
    SELECT to_char(date_trunc('month', (c."signupAt" AT TIME ZONE 'UTC') + interval '330 minutes'), 'YYYY-MM') AS "month",
      c."activationStatus"::text AS "status", count(*)::int AS "customers", count(c."firstOrderAt")::int AS "withFirstOrder",
      (count(*) FILTER (WHERE c."firstDeliveryAt" <= ${retentionCutoff}))::int AS "retentionBase",
      COALESCE(sum((SELECT sum(o."totalPaise") FROM "Order" AS o WHERE o."customerId" = c."id" AND o."status" = 'DELIVERED')), 0)::bigint AS "paise"
    FROM "Customer" AS c
    WHERE ${Prisma.join(conditions, ' AND ')}
    GROUP BY 1, 2`;
  return {
    cohortRows: rows.map(({ paise: _paise, ...row }) => row),
    revenueRows: rows.map((row) => ({ status: row.status, paise: Number(row.paise) })),
  };
}
