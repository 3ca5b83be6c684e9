// The funnel panel's figures, from one `activationDashboard` answer: what the panel draws, as text, so the
// panel only lays it out. A field the operation did not select shows as a dash rather than a guess.
// TypeScript without DOM types: esbuild bundles it for the browser, and unit tests run it in Node.
import { formatPaise } from '../../../shared/money.js';

export const MISSING = '—';

/** An `activationDashboard` answer as the operation selected it: any part may be missing. */
export interface DashboardAnswer {
  asOf?: string;
  totalCustomers?: number;
  new?: number;
  onboarded?: number;
  active?: number;
  inactive?: number;
  conversionFunnel?: Partial<Record<RateKey, number | null>>;
  revenueByStatus?: Partial<Record<StatusKey, MoneyAnswer>>;
  bySignupMonth?: MonthAnswer[];
}
interface MoneyAnswer {
  paise?: number;
  formatted?: string;
}
interface MonthAnswer extends Partial<Record<StatusKey, number>> {
  month?: string;
  totalCustomers?: number;
}
export interface DashboardVariables {
  signupFrom?: string | null;
  signupTo?: string | null;
}
type StatusKey = 'new' | 'onboarded' | 'active' | 'inactive';
type RateKey = 'signupToFirstOrder' | 'firstOrderToActive' | 'activeRetention';

const STATUSES: readonly { key: StatusKey; label: string }[] = [
  { key: 'new', label: 'New' },
  { key: 'onboarded', label: 'Onboarded' },
  { key: 'active', label: 'Active' },
  { key: 'inactive', label: 'Inactive' },
];

// The three rates of ConversionFunnel, in the order a customer meets them.
const RATES: readonly { key: RateKey; label: string; hint: string }[] = [
  { key: 'signupToFirstOrder', label: 'Signup → first order', hint: 'customers with a first order / all customers' },
  { key: 'firstOrderToActive', label: 'First order → active', hint: 'ACTIVE customers / customers with a first order' },
  { key: 'activeRetention', label: 'Active retention', hint: 'of customers first delivered to at least 30 days before asOf, the share still ACTIVE' },
];

const counts = new Intl.NumberFormat('en-IN');
// Rates come rounded to 4 decimals, so two decimals of a percentage show them exactly.
const percents = new Intl.NumberFormat('en-IN', { style: 'percent', maximumFractionDigits: 2 });
const instants = new Intl.DateTimeFormat('en-IN', {
  timeZone: 'Asia/Kolkata',
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});
const months = new Intl.DateTimeFormat('en-IN', { timeZone: 'UTC', month: 'short', year: 'numeric' });

const isCount = (value: unknown): value is number => Number.isSafeInteger(value);

function formatCount(value: unknown): string {
  return isCount(value) ? counts.format(value) : MISSING;
}

/** A fraction in [0, 1] as a percentage (0.5714 → 57.14%); null (no denominator) as a dash. */
export function formatPercent(fraction: unknown): string {
  return typeof fraction === 'number' && Number.isFinite(fraction) ? percents.format(fraction) : MISSING;
}

/** Money as the API formats it, or from its paise with the project's own formatting. */
function formatMoney(money: MoneyAnswer | undefined): string {
  if (typeof money?.formatted === 'string') return money.formatted;
  return isCount(money?.paise) ? formatPaise(money.paise) : MISSING;
}

/** An instant as IST wall-clock time: 15 Jun 2026, 12:00 IST. */
function formatInstant(value: unknown): string {
  const instant = typeof value === 'string' ? new Date(value) : null;
  return instant && !Number.isNaN(instant.getTime()) ? `${instants.format(instant)} IST` : MISSING;
}

/** YYYY-MM (an IST calendar month) as "May 2026". */
function formatMonth(value: unknown): string {
  const match = typeof value === 'string' ? /^(\d{4})-(\d{2})$/.exec(value) : null;
  return match
    ? months.format(new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, 1)))
    : typeof value === 'string' || typeof value === 'number'
      ? String(value)
      : MISSING;
}

interface StatusRow {
  key: StatusKey;
  label: string;
  count: string;
  share: string;
  /** The share as a fraction, for the bar's width; 0 when unknown. */
  width: number;
}

function statusRows(counted: Partial<Record<StatusKey, number>> | undefined, total: unknown): StatusRow[] {
  return STATUSES.map(({ key, label }) => {
    const count = counted?.[key];
    const share = isCount(count) && isCount(total) && total > 0 ? count / total : null;
    return { key, label, count: formatCount(count), share: formatPercent(share), width: share ?? 0 };
  });
}

/** Everything the panel shows, as text, from one answer and the variables it was asked with. */
export function funnelFigures(dashboard: DashboardAnswer, variables: DashboardVariables | null = {}) {
  const total = dashboard.totalCustomers;
  const revenue = dashboard.revenueByStatus;
  const revenuePaise = STATUSES.map(({ key }) => revenue?.[key]?.paise);
  return {
    asOf: formatInstant(dashboard.asOf),
    signupFrom: variables?.signupFrom ? formatInstant(variables.signupFrom) : null,
    signupTo: variables?.signupTo ? formatInstant(variables.signupTo) : null,
    total: formatCount(total),
    statuses: statusRows(dashboard, total),
    rates: RATES.map(({ key, label, hint }) => ({ key, label, hint, value: formatPercent(dashboard.conversionFunnel?.[key]) })),
    revenue: STATUSES.map(({ key, label }) => ({ key, label, value: formatMoney(revenue?.[key]) })),
    revenueTotal: revenuePaise.every(isCount) ? formatPaise(revenuePaise.reduce<number>((sum, paise) => sum + paise, 0)) : MISSING,
    months: Array.isArray(dashboard.bySignupMonth)
      ? dashboard.bySignupMonth.map((row) => ({
          month: row.month,
          label: formatMonth(row.month),
          total: formatCount(row.totalCustomers),
          statuses: statusRows(row, row.totalCustomers),
        }))
      : null,
  };
}
