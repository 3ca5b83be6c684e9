// SPEC §9 step 8: activation fields derived from the order history as of the import's as-of time.
// Cancelled orders do not count; orders placed after the as-of time have not happened yet.
import type { ActivationStatus } from '../generated/prisma/enums.js';
import { DAY_MS } from '../shared/time.js';

const CHURN_AFTER_MS = 30 * DAY_MS;

export interface OrderHistory {
  firstOrderAt: Date | null;
  lastOrderAt: Date | null;
  firstDeliveryAt: Date | null;
}

export interface OrderFact {
  placedAt: Date;
  cancelled: boolean;
  /** When the order was delivered, or null when it was not. */
  deliveredAt: Date | null;
}

export function emptyHistory(): OrderHistory {
  return { firstOrderAt: null, lastOrderAt: null, firstDeliveryAt: null };
}

function earlier(left: Date | null, right: Date | null): Date | null {
  if (left === null) return right;
  if (right === null) return left;
  return right.getTime() < left.getTime() ? right : left;
}

function later(left: Date | null, right: Date | null): Date | null {
  if (left === null) return right;
  if (right === null) return left;
  return right.getTime() > left.getTime() ? right : left;
}

export function addOrderFact(history: OrderHistory, fact: OrderFact, asOf: Date): void {
  if (fact.cancelled || fact.placedAt.getTime() > asOf.getTime()) return;
  history.firstOrderAt = earlier(history.firstOrderAt, fact.placedAt);
  history.lastOrderAt = later(history.lastOrderAt, fact.placedAt);
  if (fact.deliveredAt !== null && fact.deliveredAt.getTime() <= asOf.getTime()) {
    history.firstDeliveryAt = earlier(history.firstDeliveryAt, fact.deliveredAt);
  }
}

export function combineHistories(histories: OrderHistory[]): OrderHistory {
  const combined = emptyHistory();
  for (const history of histories) {
    combined.firstOrderAt = earlier(combined.firstOrderAt, history.firstOrderAt);
    combined.lastOrderAt = later(combined.lastOrderAt, history.lastOrderAt);
    combined.firstDeliveryAt = earlier(combined.firstDeliveryAt, history.firstDeliveryAt);
  }
  return combined;
}

export interface DerivedActivation extends OrderHistory {
  status: ActivationStatus;
  signupAt: Date;
  /** True when nothing dated the signup and the as-of time stands in (kept as is on a re-run). */
  signupAtIsFallback: boolean;
  churnedAt: Date | null;
  onboardingCompleted: boolean;
}

/** `signupCandidates`: the customers' created_at, trial start, the user's created_at. */
export function deriveActivation(history: OrderHistory, signupCandidates: (Date | null)[], asOf: Date): DerivedActivation {
  const signup = [...signupCandidates, history.firstOrderAt].reduce<Date | null>(earlier, null);
  let status: ActivationStatus = 'NEW';
  let churnedAt: Date | null = null;
  if (history.firstOrderAt !== null) status = history.firstDeliveryAt === null ? 'ONBOARDED' : 'ACTIVE';
  if (history.lastOrderAt !== null && asOf.getTime() - history.lastOrderAt.getTime() > CHURN_AFTER_MS) {
    status = 'INACTIVE';
    churnedAt = new Date(history.lastOrderAt.getTime() + CHURN_AFTER_MS);
  }
  return {
    firstOrderAt: history.firstOrderAt,
    lastOrderAt: history.lastOrderAt,
    firstDeliveryAt: history.firstDeliveryAt,
    status,
    signupAt: signup ?? asOf,
    signupAtIsFallback: signup === null,
    churnedAt,
    onboardingCompleted: history.firstDeliveryAt !== null,
  };
}

/** When the derived state began: the time its ActivationEvent carries. */
export function stateBeganAt(activation: DerivedActivation): Date {
  switch (activation.status) {
    case 'ONBOARDED':
      return activation.firstOrderAt ?? activation.signupAt;
    case 'ACTIVE':
      return activation.firstDeliveryAt ?? activation.signupAt;
    case 'INACTIVE':
      return activation.churnedAt ?? activation.signupAt;
    default:
      return activation.signupAt;
  }
}
