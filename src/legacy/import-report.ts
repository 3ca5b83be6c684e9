// The import report of SPEC §9 step 9: the same object for a dry run and a real run, printed for a person
// and written as JSON. Counts are filled in by the planner; nothing here touches the database.
import type { LegacyCollection, Problem } from './legacy-records.js';
import { LEGACY_COLLECTIONS } from './legacy-records.js';

export interface ImportReport {
  asOf: string;
  dryRun: boolean;
  read: Record<LegacyCollection, number>;
  missingCollections: LegacyCollection[];
  customers: { imported: number; merged: number; createdFromUsers: number; quarantined: number };
  users: { imported: number; linked: number; created: number; archived: number };
  deliveryBoys: { imported: number; linkedToUsers: number };
  suppliers: { imported: number; linkedToUsers: number };
  products: { imported: number };
  orders: { imported: number; quarantined: number };
  /** Imported orders that count as delivered (each has a Delivery row). */
  deliveredOrders: number;
  subscriptions: { imported: number; quarantined: number };
  activation: { NEW: number; ONBOARDED: number; ACTIVE: number; INACTIVE: number };
  productsPaise: Record<string, number>;
  problemCounts: Record<string, number>;
  problems: Problem[];
}

/** ISO 8601 without milliseconds when they are zero: `2026-06-30T00:00:00Z`. */
function formatInstant(instant: Date): string {
  return instant.toISOString().replace('.000Z', 'Z');
}

export function createEmptyReport(asOf: Date, dryRun: boolean): ImportReport {
  return {
    asOf: formatInstant(asOf),
    dryRun,
    read: Object.fromEntries(LEGACY_COLLECTIONS.map((collection) => [collection, 0])) as Record<LegacyCollection, number>,
    missingCollections: [],
    customers: { imported: 0, merged: 0, createdFromUsers: 0, quarantined: 0 },
    users: { imported: 0, linked: 0, created: 0, archived: 0 },
    deliveryBoys: { imported: 0, linkedToUsers: 0 },
    suppliers: { imported: 0, linkedToUsers: 0 },
    products: { imported: 0 },
    orders: { imported: 0, quarantined: 0 },
    deliveredOrders: 0,
    subscriptions: { imported: 0, quarantined: 0 },
    activation: { NEW: 0, ONBOARDED: 0, ACTIVE: 0, INACTIVE: 0 },
    productsPaise: {},
    problemCounts: {},
    problems: [],
  };
}

export function addProblem(report: ImportReport, problem: Problem): void {
  report.problems.push(problem);
  report.problemCounts[problem.reason] = (report.problemCounts[problem.reason] ?? 0) + 1;
}

/** Problems in a stable order, so a dry run and a real run print the same report. */
export function sortProblems(report: ImportReport): void {
  const order = new Map(LEGACY_COLLECTIONS.map((collection, index) => [collection as string, index]));
  report.problems.sort(
    (left, right) =>
      (order.get(left.collection) ?? 99) - (order.get(right.collection) ?? 99) ||
      (left.line ?? 0) - (right.line ?? 0) ||
      (left.id ?? '').localeCompare(right.id ?? '') ||
      left.reason.localeCompare(right.reason) ||
      (left.detail ?? '').localeCompare(right.detail ?? ''),
  );
  report.missingCollections.sort((left, right) => (order.get(left) ?? 99) - (order.get(right) ?? 99));
  report.problemCounts = Object.fromEntries(Object.entries(report.problemCounts).sort(([left], [right]) => left.localeCompare(right)));
}

const row = (label: string, values: Record<string, number>): string =>
  `  ${label.padEnd(15)} ${Object.entries(values)
    .map(([key, value]) => `${key} ${value}`)
    .join(', ')}`;

/** The readable report printed at the end of a run; the JSON file has every problem. */
export function formatReport(report: ImportReport, problemLimit = 30): string {
  const lines = [
    `Legacy import ${report.dryRun ? '(DRY RUN: nothing written)' : ''} as of ${report.asOf}`.replace('  ', ' '),
    row('read', report.read),
    ...(report.missingCollections.length > 0 ? [`  missing files   ${report.missingCollections.join(', ')} (treated as empty)`] : []),
    row('customers', report.customers),
    row('users', report.users),
    row('delivery boys', report.deliveryBoys),
    row('suppliers', report.suppliers),
    row('products', report.products),
    row('subscriptions', report.subscriptions),
    row('orders', { ...report.orders, delivered: report.deliveredOrders }),
    row('activation', report.activation),
    `  problems        ${report.problems.length}${report.problems.length > 0 ? ':' : ''}`,
    ...Object.entries(report.problemCounts).map(([reason, count]) => `    ${reason.padEnd(28)} ${count}`),
  ];
  const shown = report.problems.slice(0, problemLimit).map((problem) => {
    const where = problem.file ? ` (${problem.file}${problem.line ? `:${problem.line}` : ''})` : '';
    return `    ${problem.collection} ${problem.id ?? '-'}: ${problem.reason}${problem.detail ? ` — ${problem.detail}` : ''}${where}`;
  });
  if (shown.length > 0) lines.push('  first problems:', ...shown);
  if (report.problems.length > problemLimit) lines.push(`    … ${report.problems.length - problemLimit} more in the JSON report`);
  return lines.join('\n');
}
