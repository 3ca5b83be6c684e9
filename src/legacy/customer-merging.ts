// SPEC §9 step 2: duplicate customers are the same normalised phone, else the same lower-cased email.
// The survivor has the most subscriptions, then the earliest created_at (missing counts as latest), then
// the smallest id; the survivor's empty fields are filled from the others in that same order.
import type { LegacyCustomer } from './legacy-records.js';

export interface CustomerGroup {
  survivor: LegacyCustomer;
  /** Every member, survivor first, then the others in survivor order. */
  members: LegacyCustomer[];
  /** The survivor with its empty fields filled from the others. */
  merged: LegacyCustomer;
}

interface GroupingResult {
  groups: CustomerGroup[];
  /** Customers with neither a usable phone nor a usable email. */
  unreachable: LegacyCustomer[];
}

function compareSurvivorOrder(subscriptionCounts: ReadonlyMap<string, number>): (left: LegacyCustomer, right: LegacyCustomer) => number {
  return (left, right) => {
    const bySubscriptions = (subscriptionCounts.get(right.id) ?? 0) - (subscriptionCounts.get(left.id) ?? 0);
    if (bySubscriptions !== 0) return bySubscriptions;
    const leftCreated = left.createdAt?.getTime() ?? Number.POSITIVE_INFINITY;
    const rightCreated = right.createdAt?.getTime() ?? Number.POSITIVE_INFINITY;
    if (leftCreated !== rightCreated) return leftCreated < rightCreated ? -1 : 1;
    return left.id < right.id ? -1 : left.id > right.id ? 1 : 0;
  };
}

const FILLABLE_FIELDS = [
  'userRef',
  'name',
  'phone',
  'email',
  'address',
  'area',
  'billingStatus',
  'trialStartDate',
  'marketingUserRef',
  'deliveryBoyRef',
  'location',
  'createdAt',
] as const;

function fillEmptyFields(ranked: LegacyCustomer[]): LegacyCustomer {
  // A customer without duplicates is its own merge: no copy of every record of a large export.
  if (ranked.length === 1) return ranked[0];
  const merged: LegacyCustomer = { ...ranked[0] };
  for (const other of ranked.slice(1)) {
    for (const field of FILLABLE_FIELDS) {
      if (merged[field] === null && other[field] !== null) (merged as unknown as Record<string, unknown>)[field] = other[field];
    }
  }
  return merged;
}

/**
 * Groups by phone; a customer with no usable phone joins the one phone group that shares its email (when
 * exactly one does), else groups with the other phone-less customers of that email.
 */
export function groupDuplicateCustomers(customers: Iterable<LegacyCustomer>, subscriptionCounts: ReadonlyMap<string, number>): GroupingResult {
  const byPhone = new Map<string, LegacyCustomer[]>();
  const phoneless: LegacyCustomer[] = [];
  const unreachable: LegacyCustomer[] = [];
  for (const customer of customers) {
    if (customer.phone !== null) {
      const members = byPhone.get(customer.phone) ?? [];
      members.push(customer);
      byPhone.set(customer.phone, members);
    } else if (customer.email !== null) {
      phoneless.push(customer);
    } else {
      unreachable.push(customer);
    }
  }
  const phonesByEmail = new Map<string, Set<string>>();
  for (const [phone, members] of byPhone) {
    for (const member of members) {
      if (member.email === null) continue;
      const phones = phonesByEmail.get(member.email) ?? new Set<string>();
      phones.add(phone);
      phonesByEmail.set(member.email, phones);
    }
  }
  const byEmail = new Map<string, LegacyCustomer[]>();
  for (const customer of phoneless) {
    const email = customer.email as string;
    const phones = phonesByEmail.get(email);
    if (phones && phones.size === 1) {
      byPhone.get([...phones][0])?.push(customer);
      continue;
    }
    const members = byEmail.get(email) ?? [];
    members.push(customer);
    byEmail.set(email, members);
  }
  const order = compareSurvivorOrder(subscriptionCounts);
  const groups = [...byPhone.values(), ...byEmail.values()].map((members) => {
    const ranked = [...members].sort(order);
    return { survivor: ranked[0], members: ranked, merged: fillEmptyFields(ranked) };
  });
  groups.sort((left, right) => (left.survivor.id < right.survivor.id ? -1 : left.survivor.id > right.survivor.id ? 1 : 0));
  return { groups, unreachable };
}
