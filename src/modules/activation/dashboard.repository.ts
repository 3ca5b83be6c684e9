// The activation dashboard's SQL (SPEC §5): one aggregate statement whatever the number of customers.
// Whole signup days come from the running tally (ActivationTally plus the changes not yet folded into it,
// kept by the triggers of the activation_tally migration), so the statement reads a few rows per day of
// history instead of every customer; the partial days at the cohort's ends and the first deliveries on the
// retention cutoff's own day are read customer by customer through their indexes.
import type { Database } from '../../db/client.js';
import { Prisma } from '../../generated/prisma/client.js';
import type { ActivationStatus } from '../../generated/prisma/enums.js';
import { splitCohort, type CohortFilter, type InstantRange, type RetentionCutoff } from './dashboard.cohort.js';
import type { CohortRow, RevenueRow } from './dashboard.figures.js';

export type { CohortFilter } from './dashboard.cohort.js';

export interface DashboardRows {
  cohortRows: CohortRow[];
  revenueRows: RevenueRow[];
}

interface FigureRow {
  month: string;
  status: ActivationStatus;
  customers: number;
  withFirstOrder: number;
  retentionBase: number;
  revenuePaise: bigint | number | string;
}

const COUNTED = Prisma.sql`c."archivedAt" IS NULL AND c."mergedIntoId" IS NULL`;

function signupWithin(range: { from: Date | null; to: Date | null }): Prisma.Sql {
  const conditions = [Prisma.sql`TRUE`];
  if (range.from) conditions.push(Prisma.sql`c."signupAt" >= ${range.from}`);
  if (range.to) conditions.push(Prisma.sql`c."signupAt" < ${range.to}`);
  return Prisma.join(conditions, ' AND ');
}

function signupDayWithin(range: { from: Date | null; to: Date | null }): Prisma.Sql {
  const conditions = [Prisma.sql`TRUE`];
  if (range.from) conditions.push(Prisma.sql`t."signupDay" >= "activation_ist_day"(${range.from}::timestamptz)`);
  if (range.to) conditions.push(Prisma.sql`t."signupDay" < "activation_ist_day"(${range.to}::timestamptz)`);
  return Prisma.join(conditions, ' AND ');
}

/** Whole days: the tally's rows, with the first deliveries of the cutoff's own day counted one by one. */
function wholeDayFigures(days: { from: Date | null; to: Date | null }, retention: RetentionCutoff): Prisma.Sql {
  return Prisma.sql`
    SELECT to_char(t."signupDay", 'YYYY-MM') AS "month", t."status", t."customers",
      CASE WHEN t."ordered" THEN t."customers" ELSE 0 END AS "withFirstOrder",
      CASE WHEN t."firstDeliveryDay" < ${retention.cutoffDay}::date THEN t."customers" ELSE 0 END AS "retentionBase",
      t."revenuePaise"
    FROM (
      SELECT "signupDay", "status", "ordered", "firstDeliveryDay", "customers", "revenuePaise" FROM "ActivationTally"
      UNION ALL
      SELECT "signupDay", "status", "ordered", "firstDeliveryDay", "customers", "revenuePaise" FROM "ActivationTallyChange"
    ) AS t
    WHERE ${signupDayWithin(days)}
    UNION ALL
    SELECT to_char("activation_ist_day"(c."signupAt"), 'YYYY-MM'), c."activationStatus", 0, 0, 1, 0
    FROM "Customer" AS c
    WHERE c."firstDeliveryAt" >= ${retention.cutoffDayStart} AND c."firstDeliveryAt" <= ${retention.cutoff}
      AND ${COUNTED} AND ${signupWithin(days)}`;
}

/** Partial days: every figure read from the customers themselves. */
function partialDayFigures(ranges: InstantRange[], retention: RetentionCutoff): Prisma.Sql {
  const within = Prisma.join(
    ranges.map((range) => Prisma.sql`(c."signupAt" >= ${range.from} AND c."signupAt" < ${range.to})`),
    ' OR ',
  );
  return Prisma.sql`
    SELECT to_char("activation_ist_day"(c."signupAt"), 'YYYY-MM'), c."activationStatus", 1,
      CASE WHEN c."firstOrderAt" IS NOT NULL THEN 1 ELSE 0 END,
      CASE WHEN c."firstDeliveryAt" <= ${retention.cutoff} THEN 1 ELSE 0 END,
      revenue."paise"
    FROM "Customer" AS c
    CROSS JOIN LATERAL (
      SELECT COALESCE(sum(o."totalPaise"), 0)::bigint AS "paise"
      FROM "Order" AS o WHERE o."customerId" = c."id" AND o."status" = 'DELIVERED'
    ) AS revenue
    WHERE ${COUNTED} AND (${within})`;
}

export class DashboardRepository {
  constructor(private readonly db: Database) {}

  /** Customers by IST signup month and status with the funnel's counts and their delivered revenue. */
  async figures(filter: CohortFilter, retention: RetentionCutoff): Promise<DashboardRows> {
    const { wholeDays, partialDays } = splitCohort(filter);
    const parts: Prisma.Sql[] = [];
    if (wholeDays !== 'empty') parts.push(wholeDayFigures(wholeDays, retention));
    if (partialDays.length > 0) parts.push(partialDayFigures(partialDays, retention));
    if (parts.length === 0) return { cohortRows: [], revenueRows: [] };
    const rows = await this.db.$queryRaw<FigureRow[]>`
      SELECT figures."month", figures."status"::text AS "status",
        sum(figures."customers")::int AS "customers", sum(figures."withFirstOrder")::int AS "withFirstOrder",
        sum(figures."retentionBase")::int AS "retentionBase", sum(figures."revenuePaise")::bigint AS "revenuePaise"
      FROM (${Prisma.join(parts, ' UNION ALL ')}) AS figures ("month", "status", "customers", "withFirstOrder", "retentionBase", "revenuePaise")
      GROUP BY 1, 2
      HAVING sum(figures."customers") <> 0`;
    return {
      cohortRows: rows.map((row) => ({
        month: row.month,
        status: row.status,
        customers: Number(row.customers),
        withFirstOrder: Number(row.withFirstOrder),
        retentionBase: Number(row.retentionBase),
      })),
      revenueRows: rows.map((row) => ({ status: row.status, paise: Number(row.revenuePaise) })),
    };
  }
}
