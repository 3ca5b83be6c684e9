// The arithmetic of SPEC §5 over the rows the dashboard's SQL aggregates return: pure, so the funnel
// maths is unit-tested without a database.
import type { ActivationStatus } from '../../generated/prisma/enums.js';
import { money } from '../../graphql/money.type.js';
import type { ActivationDashboard, SignupMonth, StatusCounts } from './activation.type.js';

/** One group of the customer aggregate: customers of one signup month (IST) in one status. */
export interface CohortRow {
  month: string;
  status: ActivationStatus;
  customers: number;
  withFirstOrder: number;
  /** Customers first delivered to at least 30 days before asOf. */
  retentionBase: number;
}

export interface RevenueRow {
  status: ActivationStatus;
  paise: number;
}

/** numerator / denominator rounded to 4 decimals, or null when the denominator is 0. */
export function rate(numerator: number, denominator: number): number | null {
  if (denominator === 0) return null;
  return Math.round((numerator / denominator) * 10_000) / 10_000;
}

function emptyCounts(): StatusCounts {
  return { totalCustomers: 0, new: 0, onboarded: 0, active: 0, inactive: 0 };
}

const COUNT_FIELD: Record<ActivationStatus, 'new' | 'onboarded' | 'active' | 'inactive'> = {
  NEW: 'new',
  ONBOARDED: 'onboarded',
  ACTIVE: 'active',
  INACTIVE: 'inactive',
};

function addTo(counts: StatusCounts, row: CohortRow): void {
  counts.totalCustomers += row.customers;
  counts[COUNT_FIELD[row.status]] += row.customers;
}

export function buildDashboard(asOf: Date, cohortRows: CohortRow[], revenueRows: RevenueRow[]): ActivationDashboard {
  const totals = emptyCounts();
  const months = new Map<string, SignupMonth>();
  let withFirstOrder = 0;
  let retentionBase = 0;
  let retainedActive = 0;
  for (const row of cohortRows) {
    addTo(totals, row);
    let month = months.get(row.month);
    if (!month) {
      month = { month: row.month, ...emptyCounts() };
      months.set(row.month, month);
    }
    addTo(month, row);
    withFirstOrder += row.withFirstOrder;
    retentionBase += row.retentionBase;
    if (row.status === 'ACTIVE') retainedActive += row.retentionBase;
  }
  const revenue: Record<ActivationStatus, number> = { NEW: 0, ONBOARDED: 0, ACTIVE: 0, INACTIVE: 0 };
  for (const row of revenueRows) revenue[row.status] += row.paise;
  return {
    asOf,
    ...totals,
    conversionFunnel: {
      signupToFirstOrder: rate(withFirstOrder, totals.totalCustomers),
      firstOrderToActive: rate(totals.active, withFirstOrder),
      activeRetention: rate(retainedActive, retentionBase),
    },
    revenueByStatus: {
      new: money(revenue.NEW),
      onboarded: money(revenue.ONBOARDED),
      active: money(revenue.ACTIVE),
      inactive: money(revenue.INACTIVE),
    },
    bySignupMonth: [...months.values()].sort((left, right) => left.month.localeCompare(right.month)),
  };
}
