// The two SQL aggregates behind the activation dashboard (SPEC §5). Each is one statement whatever the
// number of customers: nothing is loaded row by row into memory.
import type { Database } from '../../db/client.js';
import { Prisma } from '../../generated/prisma/client.js';
import type { CohortRow, RevenueRow } from './dashboard.figures.js';

export interface CohortFilter {
  /** Inclusive lower bound on signupAt. */
  signupFrom: Date | null;
  /** Exclusive upper bound on signupAt. */
  signupTo: Date | null;
}

function cohortConditions(alias: string, filter: CohortFilter): Prisma.Sql {
  const column = (name: string) => Prisma.raw(`${alias}."${name}"`);
  const conditions = [Prisma.sql`${column('archivedAt')} IS NULL`, Prisma.sql`${column('mergedIntoId')} IS NULL`];
  if (filter.signupFrom) conditions.push(Prisma.sql`${column('signupAt')} >= ${filter.signupFrom}`);
  if (filter.signupTo) conditions.push(Prisma.sql`${column('signupAt')} < ${filter.signupTo}`);
  return Prisma.join(conditions, ' AND ');
}

export class DashboardRepository {
  constructor(private readonly db: Database) {}

  /**
   * Customers grouped by IST signup month and status, with the counts the funnel needs. IST has a fixed
   * +05:30 offset, so shifting the instant and truncating in UTC gives the IST month without tz lookups.
   */
  async cohortRows(filter: CohortFilter, retentionCutoff: Date): Promise<CohortRow[]> {
    const rows = await this.db.$queryRaw<{ month: string; status: CohortRow['status']; customers: number; withFirstOrder: number; retentionBase: number }[]>`
      SELECT to_char(grouped."monthStart", 'YYYY-MM') AS "month", grouped."status"::text AS "status",
        grouped."customers", grouped."withFirstOrder", grouped."retentionBase"
      FROM (
        SELECT date_trunc('month', (c."signupAt" AT TIME ZONE 'UTC') + interval '330 minutes') AS "monthStart",
          c."activationStatus" AS "status",
          count(*)::int AS "customers",
          count(c."firstOrderAt")::int AS "withFirstOrder",
          count(*) FILTER (WHERE c."firstDeliveryAt" <= ${retentionCutoff})::int AS "retentionBase"
        FROM "Customer" AS c
        WHERE ${cohortConditions('c', filter)}
        GROUP BY 1, 2
      ) AS grouped`;
    return rows.map((row) => ({
      ...row,
      customers: Number(row.customers),
      withFirstOrder: Number(row.withFirstOrder),
      retentionBase: Number(row.retentionBase),
    }));
  }

  /** Totals of delivered orders per current status of their customer. */
  async revenueRows(filter: CohortFilter): Promise<RevenueRow[]> {
    const rows = await this.db.$queryRaw<{ status: RevenueRow['status']; paise: bigint | number | string }[]>`
      SELECT c."activationStatus"::text AS "status", sum(o."totalPaise")::bigint AS "paise"
      FROM "Order" AS o
      JOIN "Customer" AS c ON c."id" = o."customerId"
      WHERE o."status" = 'DELIVERED' AND ${cohortConditions('c', filter)}
      GROUP BY 1`;
    return rows.map((row) => ({ status: row.status, paise: Number(row.paise) }));
  }
}
